-- Step 1: Save configuration.
-- The operator's edit (replication/new.yaml) was parsed and validated before any step ran; this
-- step records what changed and checks that every server of the new configuration is a server
-- of the site (site.yaml), since the later steps act on the servers through the site.

local model = require("configure.model")

return {
  title = "Save configuration",
  section = "configure",
  order = 1,
  description = "Records the validated change (what differs from the saved configuration) and checks "
    .. "that every configured server is defined in site.yaml.",
  needs = { "files" },
  scope = "once",

  -- Every change starts with this step.
  applies = function(change, ctx) return next(change.kinds) ~= nil end,

  run = function(ctx)
    local change = model.pending(ctx)
    if not change then return end
    phase.log("group " .. change.group .. " (configuration " .. change.new.signature .. ")"
      .. (change.initial and ": first initialization" or ""))
    local kinds = {}
    for kind in pairs(change.kinds) do kinds[#kinds + 1] = kind end
    table.sort(kinds)
    phase.log("change kinds: " .. table.concat(kinds, ", "))
    for _, line in ipairs(change.summary) do phase.log(line) end
    for _, server in ipairs(change.new.servers) do
      -- files.on fails for a server site.yaml does not define.
      local ok = pcall(files.on, server.name)
      if not ok then
        phase.issue{ summary = "server " .. server.name .. " of the new configuration is not defined in site.yaml",
          detail = "add it to the servers section of site.yaml (name, role: " .. server.role .. ", root, volumes, services)",
          resolution = "manual" }
      end
    end
  end,
}
