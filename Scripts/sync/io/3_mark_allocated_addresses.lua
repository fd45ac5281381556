-- IO phase 3: mark as allocated every address allocated after the backup.
--
-- Addresses handed out between the backup and the restore are in use on real servers but free
-- in the restored database; the orchestrator would hand them out a second time. The live list of
-- addresses in use (inventory/addresses.csv: address,service,allocated_at) is imported into a
-- temporary table by the host (db.import_csv: no Lua table per row), and ONE set-based UPDATE marks allocated, to the service the inventory names,
-- every address of the pools that is in use but free in the database. This scales to millions of
-- addresses: no per-address statement.
--
-- An address released and allocated again after the backup is allocated in the database to its
-- old owner while the inventory shows it in use by another service since a time after the
-- backup. That allocation too was made after the backup: a second set-based UPDATE records the
-- inventory's owner and time, and each such address is reported with both owners (a planned
-- issue each). When the inventory dates the other owner's allocation at or before the backup
-- (or gives no time), the two sources contradict each other about what the backup knew: nothing
-- is changed for that address and an operator must decide (a manual issue each, both owners).
-- An address the database already has allocated to the service the inventory names is left as
-- it is. Issues are raised per address for the first REPORT_LIMIT addresses of each kind, then
-- one more for the rest. An inventory listing an address twice is refused (nothing changed).
--
-- Addresses the database shows allocated but the inventory does not are left alone (the seed's
-- phase only marks; IO phase 2 already released the addresses of deleted services); they are
-- counted in the log. Addresses in use that belong to no pool need an operator.
--
-- Site customization: point parameters.sync.inventory at your inventory directory; adapt the
-- column names passed to db.import_csv below if your IPAM export differs.

local common = require("sync.common")

-- Per-address issues are raised for this many addresses of a kind at most; the rest are
-- summarized in one more issue (the statements change them all the same).
local REPORT_LIMIT = 100

-- Raises one issue per row of `sql` (address, old_owner, old_at, service, allocated_at), up to
-- REPORT_LIMIT, then one issue for the rest; returns how many rows there were.
local function report_each(sql, backup_time, describe, resolution)
  local count = db.value("SELECT count(*) FROM (" .. sql .. ") AS candidates", backup_time)
  if count == 0 then return 0 end
  local shown, rest = 0, {}
  for row in db.rows(sql .. " ORDER BY a.address", backup_time) do
    if shown < REPORT_LIMIT then
      local summary, detail = describe(row)
      phase.issue{ summary = summary, detail = detail, resolution = resolution }
      shown = shown + 1
    else
      rest[#rest + 1] = row.address
    end
  end
  if #rest > 0 then
    local summary, detail = describe(nil, rest)
    phase.issue{ summary = summary, detail = detail, resolution = resolution }
  end
  return count
end

-- Addresses the database has allocated to another service than the one the inventory names.
-- `when` is "l.allocated_at > ?" (re-allocated after the backup) or its negation.
local function other_owner(when)
  return [[
    SELECT a.address, coalesce(a.allocated_to, '(nobody)') AS old_owner, coalesce(a.allocated_at, '(no time)') AS old_at,
           l.service, l.allocated_at
      FROM ip_addresses a JOIN sync_live_addresses l ON l.address = a.address
     WHERE a.state = 'allocated' AND coalesce(a.allocated_to, '') <> l.service AND ]] .. when
end

return {
  title = "Mark addresses allocated after the backup",
  section = "io",
  order = 3,
  description = "Marks as allocated, in one set-based update, every pool address that the live "
    .. "inventory (inventory/addresses.csv) shows in use but the restored database shows free, "
    .. "recording the service holding it; records the new owner of every address re-allocated to "
    .. "another service after the backup, reporting each. Addresses in use outside every pool, "
    .. "listed twice, or held by another service since before the backup are reported for manual action.",
  needs = { "db", "files" },
  run = function(ctx)
    local backup_time = common.backup_time(ctx.params)
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

    -- An address listed twice: the inventory contradicts itself, and any owner picked would be a guess.
    local twice = {}
    for row in db.rows([[
        SELECT address FROM sync_live_addresses GROUP BY address HAVING count(*) > 1 ORDER BY address]]) do
      twice[#twice + 1] = row.address
    end
    if #twice > 0 then
      phase.issue{
        summary = #twice .. " address(es) are listed more than once in " .. path,
        detail = common.sample(twice) .. ". An address is in use by one service at most: fix the inventory "
          .. "and run again; nothing is changed until then.",
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
        detail = "The synchronization marks them allocated to the service the inventory names, for example "
          .. table.concat(examples, ", ") .. ".",
        resolution = "planned",
      }
      -- One statement for all of them (UPDATE ... FROM: SQLite 3.33+, PostgreSQL).
      phase.change("mark " .. to_mark .. " free address(es) allocated to the service the inventory names", function()
        db.exec([[
          UPDATE ip_addresses
             SET state = 'allocated', allocated_to = l.service, allocated_at = l.allocated_at
            FROM sync_live_addresses AS l
           WHERE l.address = ip_addresses.address AND ip_addresses.state = 'free']])
      end)
    end

    -- Released and allocated again to another service after the backup: the database still
    -- names the old owner. The inventory's owner and time are recorded, each address reported.
    local moved = report_each(other_owner("l.allocated_at > ?"), backup_time, function(row, rest)
      if rest then
        return #rest .. " more address(es) were re-allocated to another service after the backup",
          common.sample(rest) .. ": the synchronization allocates each to the service the inventory names."
      end
      return "address " .. row.address .. " was re-allocated after the backup: " .. row.old_owner .. " → " .. row.service,
        "The database has it allocated to " .. row.old_owner .. " (since " .. row.old_at .. "); the inventory shows it in use by "
          .. row.service .. " since " .. row.allocated_at .. ". The synchronization allocates it to " .. row.service .. "."
    end, "planned")
    if moved > 0 then
      phase.change("give " .. moved .. " re-allocated address(es) the owner the inventory names", function()
        db.exec([[
          UPDATE ip_addresses
             SET allocated_to = l.service, allocated_at = l.allocated_at
            FROM sync_live_addresses AS l
           WHERE l.address = ip_addresses.address AND ip_addresses.state = 'allocated'
             AND coalesce(ip_addresses.allocated_to, '') <> l.service AND l.allocated_at > ?]], backup_time)
      end)
    end

    -- Held by another service since before the backup, says the inventory, while the backup
    -- says otherwise: one of the two sources is wrong, and only an operator can tell which.
    local disputed = report_each(other_owner("NOT (l.allocated_at > ?)"), backup_time, function(row, rest)
      if rest then
        return #rest .. " more address(es) have another owner in the inventory since before the backup",
          common.sample(rest) .. ": correct the inventory or the database and run again."
      end
      return "address " .. row.address .. " has two owners: " .. row.old_owner .. " in the database, " .. row.service .. " in the inventory",
        "The database has it allocated to " .. row.old_owner .. " (since " .. row.old_at .. "); the inventory shows it in use by "
          .. row.service .. " since " .. row.allocated_at .. ", not after the backup of " .. backup_time .. ", so the backup "
          .. "should have known it. Nothing is changed for it: correct the inventory or the database and run again."
    end, "manual")

    -- For the log only: allocations this phase deliberately does not touch.
    local stale = db.value([[
      SELECT count(*) FROM ip_addresses
       WHERE state = 'allocated'
         AND address NOT IN (SELECT address FROM sync_live_addresses)]])
    phase.log(string.format("%d address(es) in use (%s); %d marked allocated; %d re-allocated after the backup, "
      .. "owner corrected; %d with another owner since before the backup, left for an operator; %d outside every pool; "
      .. "%d allocated in the database but not in use, left as they are",
      in_use, path, to_mark, moved, disputed, #outside, stale))
  end,
}
