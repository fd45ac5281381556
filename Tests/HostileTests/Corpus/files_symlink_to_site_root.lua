-- attack: a symbolic link to the site root ('self' -> '.') re-enters it onto phasekit's own files, however deep
-- analyze: error runtime
-- execute: error runtime
local paths = { "self/cms.db", "self/self/site.yaml", "./self//state/planted/keep.txt", "self/scripts/sync/init.lua",
  "self/self/self/cms.db-journal", "self/volumes/lv_new.volume.json", "self" }
for _, path in ipairs(paths) do
  if pcall(files.write, path, "pwned") then error("ESCAPED: wrote " .. path) end
  if pcall(files.copy, "conf/app.conf", path) then error("ESCAPED: copied onto " .. path) end
  if pcall(files.remove, path) then error("ESCAPED: removed " .. path) end
end
-- reading through the link is fine and sees the same file
if files.read("self/conf/app.conf") ~= files.read("conf/app.conf") then error("ESCAPED: a link resolves differently for reads") end
error("every attack was refused")
