-- attack: reach phasekit's own files (database, site.yaml, a planted step, state/) through a './' prefix, with every files binding
-- analyze: error runtime
-- execute: error runtime
local paths = { "./cms.db", "./site.yaml", "./scripts/sync/init.lua", "./scripts/lib/helper.lua", "./state/lock",
  "./state/planted/keep.txt", "./volumes/lv_data.volume.json" }
for _, path in ipairs(paths) do
  if pcall(files.write, path, "pwned") then error("ESCAPED: wrote " .. path) end
  if pcall(files.copy, "conf/app.conf", path) then error("ESCAPED: copied onto " .. path) end
  if pcall(files.remove, path) then error("ESCAPED: removed " .. path) end
  if pcall(files.on("prod").write, path, "pwned") then error("ESCAPED: wrote through files.on " .. path) end
end
error("every attack was refused")
