-- attack: '..' that leaves a directory and re-enters the root onto phasekit's own files
-- analyze: error runtime
-- execute: error runtime
local paths = { "conf/../cms.db", "state/../site.yaml", "./conf/../state/x", "conf/linked/../../site/cms.db",
  "escape/../site/cms.db", "servers/recovery1/../../cms.db", "scripts/../scripts/lib/helper.lua" }
for _, path in ipairs(paths) do
  if pcall(files.write, path, "pwned") then error("ESCAPED: wrote " .. path) end
  if pcall(files.copy, "conf/app.conf", path) then error("ESCAPED: copied onto " .. path) end
  if pcall(files.remove, path) then error("ESCAPED: removed " .. path) end
end
error("every attack was refused")
