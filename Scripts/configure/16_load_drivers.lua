-- Step 16: Load drivers on S — one row per server of the new configuration.
-- A loaded driver is marked by drivers/<driver>.loaded under the server root. Configured
-- drivers that are not loaded are loaded; loaded drivers the configuration dropped are unloaded.

local model = require("configure.model")

return {
  title = "Load drivers on {server}",
  section = "configure",
  order = 16,
  description = "Loads the configured drivers on a server that joined the group or whose drivers changed, and unloads dropped ones.",
  needs = { "files" },
  scope = "each",

  applies = function(change, ctx)
    return model.status(change, ctx.server) == "added" or model.server_has(change, ctx.server, { "driver_changed" })
  end,

  run = function(ctx)
    local change = model.pending(ctx)
    if not change then return end
    local server = change.new.by_name[ctx.server]
    if files.exists(model.DRIVER_DIR) then
      for _, entry in ipairs(files.list(model.DRIVER_DIR)) do
        local driver = entry:sub(-#model.DRIVER_SUFFIX) == model.DRIVER_SUFFIX and entry:sub(1, -#model.DRIVER_SUFFIX - 1) or nil
        if driver and not model.contains(server.drivers, driver) then
          phase.change("unload driver " .. driver .. " on " .. ctx.server, function()
            files.remove(model.driver_path(driver))
          end)
        end
      end
    end
    for position, driver in ipairs(server.drivers) do
      if not files.exists(model.driver_path(driver)) then
        phase.change("load driver " .. driver .. " on " .. ctx.server, function()
          files.write(model.driver_path(driver), "loaded for group " .. change.group .. " (position " .. position .. ")\n")
        end)
      end
    end
  end,
}
