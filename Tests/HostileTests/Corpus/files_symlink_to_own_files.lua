-- attack: symbolic links naming the database, site.yaml, state/ and scripts/ directly
-- analyze: error runtime
-- execute: error runtime
local paths = { "dblink", "./dblink", "yamllink", "statelink/planted/keep.txt", "statelink/new", "scriptslink/lib/helper.lua",
  "scriptslink/sync/init.lua", "conf/../dblink" }
for _, path in ipairs(paths) do
  if pcall(files.write, path, "pwned") then error("ESCAPED: wrote " .. path) end
  if pcall(files.copy, "conf/app.conf", path) then error("ESCAPED: copied onto " .. path) end
  if pcall(files.remove, path) then error("ESCAPED: removed " .. path) end
end
error("every attack was refused")
