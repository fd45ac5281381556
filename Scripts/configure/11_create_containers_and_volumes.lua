-- Step 11: Create containers and logical volumes on S — one row per server of the new configuration.
-- Creates what the server lacks: data volumes (the production volumes, the replicas on a
-- recovery server), the replication and log record file containers, the internal volume
-- (production), the snapshot container and snapshots (recovery). Data volumes whose size
-- changed are resized. Containers carry the server's layout tag (cfg=...), which tells later
-- runs which volume set and servers they were built for.

local model = require("configure.model")

return {
  title = "Create containers and logical volumes on {server}",
  section = "configure",
  order = 11,
  description = "Creates the data volumes, containers and snapshots a server lacks, and resizes resized data volumes.",
  needs = { "volumes" },
  scope = "each",

  applies = function(change, ctx) return change.new.by_name[ctx.server] ~= nil end,

  run = function(ctx)
    local change = model.pending(ctx)
    if not change then return end
    local server = change.new.by_name[ctx.server]
    local pool = volumes.on(ctx.server)

    for _, spec in ipairs(server.volumes) do
      local volume = pool.get(spec.name)
      if not volume then
        -- The binding describes it: "create volume NAME, SIZE in GROUP, on SERVER".
        pool.create{ name = spec.name, group = spec.group, size = spec.size, role = "data" }
      elseif volume.role ~= "data" or volume.group ~= spec.group then
        phase.issue{ summary = ctx.server .. ": volume " .. spec.name .. " exists as " .. volume.role .. " in " .. volume.group
          .. ", configured as a data volume in " .. spec.group, resolution = "manual",
          detail = "rename or remove the existing volume, or fix the configuration" }
      elseif volume.size ~= spec.size then
        phase.change("resize data volume " .. spec.name .. " on " .. ctx.server .. " from " .. model.size_text(volume.size)
          .. " to its configured " .. model.size_text(spec.size), function()
          pool.resize(spec.name, spec.size)
        end)
      end
    end

    -- Snapshot container before snapshots; the order of `roles` below is the creation order.
    local expected = model.expected_containers(server)
    local roles = { "replication_container", "log_record_container", "internal", "snapshot_container", "snapshot" }
    for _, role in ipairs(roles) do
      local names = {}
      for name, want in pairs(expected) do
        if want.role == role then names[#names + 1] = name end
      end
      table.sort(names)
      for _, name in ipairs(names) do
        local want = expected[name]
        local volume = pool.get(name)
        if not volume then
          pool.create{ name = name, group = want.group, size = want.size, role = role, tags = { want.tag } }
        else
          local reason = model.stale_reason(change, ctx.server, volume)
          if reason or volume.role ~= role then
            phase.issue{ summary = ctx.server .. ": " .. name .. " exists but does not match (" .. (reason or ("role " .. volume.role)) .. ")",
              detail = "the delete steps (3 to 10) remove stale containers; run the initialization again or delete it by hand",
              resolution = "manual" }
          end
        end
      end
    end
  end,
}
