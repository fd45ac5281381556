-- Step 13: Set new logical volume X as requiring replication.
-- For each volume added to the configuration, on every server that has it (one row per such
-- server): the `replicated` tag and the device special file dev/rLV_<volume> (X in the
-- product's wording).

local model = require("configure.model")

return {
  title = "Set new logical volumes as requiring replication on {server}",
  section = "configure",
  order = 13,
  description = "Marks each added volume as replicated and creates its device special file on every server that has it.",
  needs = { "volumes", "files" },
  scope = "each",

  applies = function(change, ctx)
    local diff = change.servers[ctx.server]
    return diff ~= nil and diff.kinds.volume_added == true
  end,

  run = function(ctx)
    local change = model.pending(ctx)
    if not change then return end
    local added = {}
    for _, spec in ipairs(change.servers[ctx.server].volumes_added) do added[#added + 1] = spec.name end
    -- The row names the volumes (the product's "Set new logical volume X ...").
    phase.title("Set new logical volume" .. (#added == 1 and " " or "s ") .. table.concat(added, ", ")
      .. " as requiring replication on " .. ctx.server)
    for _, spec in ipairs(change.servers[ctx.server].volumes_added) do
      phase.log("volume " .. spec.name .. " (" .. model.device_path(spec.name) .. ") on " .. ctx.server)
      model.set_replicated(ctx.server, spec, change.group)
    end
  end,
}
