-- attack: switch phase.mode to execute (assignment, rawset, metatables, _ENV) before writing
-- analyze: changes
pcall(function() phase.mode = "execute" end)
pcall(rawset, phase, "mode", "execute")
pcall(setmetatable, phase, { __index = { mode = "execute" } })
_ENV.phase = setmetatable({ mode = "execute" }, { __index = phase })
db.exec("DELETE FROM addresses")
volumes.delete("lv_data")
files.write("site.yaml", "pwned")
services.stop("db")
