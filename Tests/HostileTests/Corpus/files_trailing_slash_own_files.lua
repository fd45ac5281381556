-- attack: phasekit's own files and directories named with a trailing slash
-- analyze: error runtime
-- execute: error runtime
local paths = { "cms.db/", "site.yaml//", "state/", "scripts/", "./state/planted/keep.txt/", "volumes/" }
for _, path in ipairs(paths) do
  if pcall(files.write, path, "pwned") then error("ESCAPED: wrote " .. path) end
  if pcall(files.copy, "conf/app.conf", path) then error("ESCAPED: copied onto " .. path) end
  if pcall(files.remove, path) then error("ESCAPED: removed " .. path) end
end
error("every attack was refused")
