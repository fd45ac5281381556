-- IO phase 2: remove the definitions of services deleted after the backup.
--
-- The restored database still defines every service that existed at backup time. Services
-- deleted since then must go, or the orchestrator would manage servers that no longer exist.
-- Nothing in the database can tell which ones are gone, so, as mxsync does, the step writes a
-- review file, state/review/io-deleted-services.txt, with one line per defined service; the
-- services marked with '*' at the start of their line are removed. When the live inventory
-- (inventory/services.json) is there, the step proposes the marks itself: every service the
-- inventory does not list. Without it nothing is proposed and the operator marks the file.
--
-- Removing a service deletes its tiers and its definition and releases the addresses the
-- database still shows allocated to it (IO phase 3 marks allocated again every address that is
-- in use now, whoever holds it). Requests that ran for it stay: they are history.
--
-- Without an inventory the step cannot know when the review is done, so the file's first line,
-- REVIEWED, is the operator's signature: mark it once the list is reviewed (even when no service
-- was deleted). Until then the step raises a manual issue.
--
-- Site customization: point parameters.sync.inventory at your inventory directory.

local common = require("sync.common")

-- The live inventory's service ids as a set, or nil and why it is unusable.
local function live_services(params)
  local path = common.inventory_file(params, "services.json")
  local inventory, err = common.read_json(path)
  if inventory == nil then return nil, err end
  if type(inventory.services) ~= "table" then return nil, path .. ": no 'services' array" end
  local live = {}
  for index, service in ipairs(inventory.services) do
    if type(service) ~= "table" or type(service.id) ~= "string" then
      return nil, string.format("%s: services[%d] has no string 'id'", path, index)
    end
    live[service.id] = service
  end
  return live, path
end

-- Requests of a service that will still run after the synchronization: those scheduled after
-- the restore (IO phase 1 terminates the others). Removing the service would strand them.
local function pending_requests(service_id, restored_at)
  return db.value([[
    SELECT count(*) FROM io_requests
     WHERE service_id = ? AND state IN ('queued', 'scheduled') AND scheduled_at > ?]], service_id, restored_at)
end

return {
  title = "Remove services deleted after the backup",
  section = "io",
  order = 2,
  description = "Removes from the IO database the definitions of services deleted after the backup. "
    .. "The operator marks them with '*' in state/review/io-deleted-services.txt; the step proposes "
    .. "the marks from the live inventory (inventory/services.json) when there is one. Removing a "
    .. "service deletes its tiers and definition and releases its addresses.",
  needs = { "db", "files" },
  run = function(ctx)
    local restored_at = common.restored_at(ctx.params, common.backup_time(ctx.params))
    local defined = db.query([[
      SELECT s.id, s.name, s.owner, s.created_at,
             (SELECT coalesce(sum(server_count), 0) FROM io_service_tiers t WHERE t.service_id = s.id) AS servers
        FROM io_services s
       ORDER BY s.id]])

    local live, source = live_services(ctx.params)
    -- The operator's "review done" mark; proposed when the inventory did the review.
    local reviewed_key = "REVIEWED"
    local candidates = {
      { key = reviewed_key, text = "mark this line once the list below is reviewed", proposed = live ~= nil },
    }
    for _, service in ipairs(defined) do
      candidates[#candidates + 1] = {
        key = service.id,
        text = string.format("%s (owner %s, created %s, %d servers)", service.name, service.owner,
          service.created_at, service.servers),
        proposed = live ~= nil and live[service.id] == nil,
      }
    end
    local marks, review_path = phase.review("io-deleted-services", candidates)
    local marked, reviewed = {}, false
    for _, key in ipairs(marks) do
      if key == reviewed_key then reviewed = true else marked[#marked + 1] = key end
    end

    if live == nil then
      phase.log("no usable live inventory: " .. source .. "; nothing proposed in " .. review_path)
      if not reviewed then
        phase.issue{
          summary = "mark the services deleted after the backup in " .. review_path,
          detail = "Without a live inventory (" .. source .. ") the step cannot tell which of the "
            .. #defined .. " defined services still exist. Put '*' at the start of the line of each "
            .. "deleted service, then mark the REVIEWED line, and run again.",
          resolution = "manual",
        }
      end
    else
      -- Services the inventory knows but the backup does not were created after it. Recreating
      -- them is not this phase's job (the orchestrator rediscovers them); say so in the log.
      local known, created = {}, {}
      for _, service in ipairs(defined) do known[service.id] = true end
      for id in pairs(live) do
        if not known[id] then created[#created + 1] = id end
      end
      table.sort(created)
      if #created > 0 then
        phase.log(#created .. " service(s) created after the backup are not in the database: " .. common.sample(created))
      end
    end

    local by_id = {}
    for _, service in ipairs(defined) do by_id[service.id] = service end
    local removed = 0
    for _, id in ipairs(marked) do
      local service = by_id[id]
      local pending = pending_requests(id, restored_at)
      if live ~= nil and live[id] ~= nil then
        -- The operator marked a service the inventory still lists: never delete a live service.
        phase.issue{
          summary = "service " .. id .. " (" .. service.name .. ") is marked as deleted but the live inventory lists it",
          detail = "Remove the '*' from its line in " .. review_path .. ", or fix " .. source .. " if it is wrong.",
          resolution = "manual",
        }
      elseif pending > 0 then
        phase.issue{
          summary = "service " .. id .. " (" .. service.name .. ") still has " .. pending .. " pending request(s)",
          detail = "They are scheduled after the restore (" .. restored_at .. "); cancel them in IO before "
            .. "the service definition can be removed, or remove the '*' if the service still exists.",
          resolution = "manual",
        }
      else
        local addresses = db.value("SELECT count(*) FROM ip_addresses WHERE allocated_to = ?", id)
        phase.issue{
          summary = "service " .. id .. " (" .. service.name .. ") was deleted after the backup",
          detail = string.format("the synchronization removes its definition, %d server(s) in its tiers and %d address allocation(s)",
            service.servers, addresses),
          resolution = "planned",
        }
        phase.change(string.format("remove service %s (%s): free its %d address(es), delete its tiers and its definition",
            id, service.name, addresses), function()
          if addresses > 0 then
            db.exec([[
              UPDATE ip_addresses SET state = 'free', allocated_to = NULL, allocated_at = NULL
               WHERE allocated_to = ?]], id)
          end
          db.exec("DELETE FROM io_service_tiers WHERE service_id = ?", id)
          db.exec("DELETE FROM io_services WHERE id = ?", id)
        end)
        removed = removed + 1
      end
    end
    phase.log(string.format("%d of %d defined service(s) marked in %s; %d removed", #marked, #defined, review_path, removed))
  end,
}
