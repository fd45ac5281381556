-- attack: phasekit's own files spelled with doubled slashes and repeated './'
-- analyze: error runtime
-- execute: error runtime
local paths = { ".//cms.db", "././site.yaml", "state//planted//keep.txt", "scripts///lib/helper.lua", ".//./state/x",
  "conf/..//cms.db", "//cms.db" }
for _, path in ipairs(paths) do
  if pcall(files.write, path, "pwned") then error("ESCAPED: wrote " .. path) end
  if pcall(files.copy, "conf/app.conf", path) then error("ESCAPED: copied onto " .. path) end
  if pcall(files.remove, path) then error("ESCAPED: removed " .. path) end
end
error("every attack was refused")
