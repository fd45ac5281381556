-- Step 15: Reset Apply process (ABA) on S — recovery rows of the new configuration.
-- Restarts the recovery server's apply process (site service `aba` unless the configuration
-- names another) and records the configuration signature in run/<service>.config, like step 14.

local model = require("configure.model")

return {
  title = "Reset Apply process (ABA) on {server}",
  section = "configure",
  order = 15,
  description = "Restarts the apply process on each recovery server with the new configuration.",
  needs = { "services", "files" },
  scope = "recovery",

  applies = model.process_reset_applies,

  run = function(ctx)
    model.reset_process(ctx, "apply process")
  end,
}
