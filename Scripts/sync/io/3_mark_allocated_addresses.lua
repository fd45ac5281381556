-- IO phase 3: mark as allocated every address allocated after the backup.
--
-- Addresses handed out between the backup and the restore are in use on real servers but free
-- in the restored database; the orchestrator would hand them out a second time. The live list of
-- addresses in use (inventory/addresses.csv: address,service,allocated_at) is imported into a
-- temporary table by the host (db.import_csv: no Lua table per row), and ONE set-based UPDATE marks allocated, to the service the inventory names,
-- every address of the pools that is in use but free in the database. This scales to millions of
-- addresses: no per-address statement.
--
-- Addresses the database shows allocated but the inventory does not are left alone (the seed's
-- phase only marks; IO phase 2 already released the addresses of deleted services); they are
-- counted in the log. Addresses in use that belong to no pool need an operator.
--
-- Site customization: point parameters.sync.inventory at your inventory directory; adapt the
-- column names passed to db.import_csv below if your IPAM export differs.

local common = require("sync.common")

return {
  title = "Mark addresses allocated after the backup",
  section = "io",
  order = 3,
  description = "Marks as allocated, in one set-based update, every pool address that the live "
    .. "inventory (inventory/addresses.csv) shows in use but the restored database shows free, "
    .. "recording the service holding it. Addresses in use outside every pool are reported for "
    .. "manual action.",
  needs = { "db", "files" },
  run = function(ctx)
    local path = common.inventory_file(ctx.params, "addresses.csv")
    -- Scratch data, not a change: the live addresses in a temporary table for set-based SQL.
    local in_use, err = db.import_csv("sync_live_addresses", path, { "address", "service", "allocated_at" })
    if in_use == nil then
      phase.issue{
        summary = "cannot read the addresses in use: " .. err,
        detail = "Export the addresses in use from the IPAM/DHCP server to " .. path
          .. " (columns address,service,allocated_at) and run again.",
        resolution = "manual",
      }
      return
    end

    -- Addresses in use that no pool contains: someone assigned them by hand, or the pools
    -- changed after the backup. The orchestrator cannot protect them; an operator must decide.
    local outside = {}
    for row in db.rows([[
        SELECT l.address FROM sync_live_addresses l
         WHERE NOT EXISTS (SELECT 1 FROM ip_addresses a WHERE a.address = l.address)
         ORDER BY l.address]]) do
      outside[#outside + 1] = row.address
    end
    if #outside > 0 then
      phase.issue{
        summary = #outside .. " address(es) in use belong to no address pool",
        detail = common.sample(outside) .. ". Add them to a pool (or fix the inventory) and run again.",
        resolution = "manual",
      }
    end

    -- The addresses this phase marks.
    local to_mark = db.value([[
      SELECT count(*) FROM ip_addresses a JOIN sync_live_addresses l ON l.address = a.address
       WHERE a.state = 'free']])
    if to_mark > 0 then
      local examples = {}
      for row in db.rows([[
          SELECT a.address, l.service FROM ip_addresses a JOIN sync_live_addresses l ON l.address = a.address
           WHERE a.state = 'free' ORDER BY a.address LIMIT 10]]) do
        examples[#examples + 1] = row.address .. " (" .. row.service .. ")"
      end
      phase.issue{
        summary = to_mark .. " address(es) allocated after the backup are free in the database",
        detail = "They will be marked allocated to the service the inventory names, for example "
          .. table.concat(examples, ", ") .. ".",
        resolution = "planned",
      }
      -- One statement for all of them (UPDATE ... FROM: SQLite 3.33+, PostgreSQL).
      db.exec([[
        UPDATE ip_addresses
           SET state = 'allocated', allocated_to = l.service, allocated_at = l.allocated_at
          FROM sync_live_addresses AS l
         WHERE l.address = ip_addresses.address AND ip_addresses.state = 'free']])
    end

    -- For the log only: allocations this phase deliberately does not touch.
    local stale = db.value([[
      SELECT count(*) FROM ip_addresses
       WHERE state = 'allocated'
         AND address NOT IN (SELECT address FROM sync_live_addresses)]])
    phase.log(string.format("%d address(es) in use (%s); %d marked allocated; %d outside every pool; "
      .. "%d allocated in the database but not in use, left as they are", in_use, path, to_mark, #outside, stale))
  end,
}
