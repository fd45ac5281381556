-- attack: absolute spellings of phasekit's own files, built from the site's real path
-- analyze: error runtime
-- execute: error runtime
local site = phase.params.site
local paths = { site .. "/cms.db", site .. "/./site.yaml", "/" .. site .. "/state/x", site .. "//scripts/lib/helper.lua",
  "/proc/self/cwd/cms.db", "/proc/self/root" .. site .. "/cms.db" }
for _, path in ipairs(paths) do
  if pcall(files.write, path, "pwned") then error("ESCAPED: wrote " .. path) end
  if pcall(files.copy, "conf/app.conf", path) then error("ESCAPED: copied onto " .. path) end
  if pcall(files.remove, path) then error("ESCAPED: removed " .. path) end
end
error("every attack was refused")
