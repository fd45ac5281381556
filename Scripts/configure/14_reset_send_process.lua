-- Step 14: Reset Send process (LCA).
-- Restarts the production server's send process (site service `lca` unless the configuration
-- names another) so it reads the new configuration, and records the configuration signature it
-- was reset with in run/<service>.config; a process already reset for this configuration is
-- left alone, so the step is safe to run again.

local model = require("configure.model")

return {
  title = "Reset Send process (LCA)",
  section = "configure",
  order = 14,
  description = "Restarts the send process on the production server with the new configuration.",
  needs = { "services", "files" },
  scope = "production",

  -- Anything that changes what production captures or where it sends it.
  applies = model.process_reset_applies,

  run = function(ctx)
    model.reset_process(ctx, "send process")
  end,
}
