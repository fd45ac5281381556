-- Step 13: Set new logical volume X as requiring replication.
-- For each volume added to the configuration, on every server that has it: the `replicated`
-- tag and the device special file dev/rLV_<volume> (X in the product's wording).
local model = require("configure.model")

return {
  title = "Set new logical volume X as requiring replication",
  section = "configure",
  order = 13,
  description = "Marks each added volume as replicated and creates its device special file on every server that has it.",
  needs = { "volumes", "files" },
  scope = "once",

  applies = function(change, ctx) return change.kinds.volume_added == true end,

  run = function(ctx)
    local change = model.pending(ctx)
    if not change then return end
    for _, server in ipairs(change.new.servers) do
      local diff = change.servers[server.name]
      for _, spec in ipairs(diff and diff.volumes_added or {}) do
        phase.log("volume " .. spec.name .. " (" .. model.device_path(spec.name) .. ") on " .. server.name)
        model.set_replicated(server.name, spec, change.group)
      end
    end
  end,
}
