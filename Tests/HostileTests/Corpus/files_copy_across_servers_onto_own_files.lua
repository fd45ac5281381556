-- attack: copy from another server's root onto the site's own files, with './' and link spellings
-- analyze: error runtime
-- execute: error runtime
local recovery = files.on("recovery1")
for _, path in ipairs({ "./cms.db", ".//site.yaml", "self/state/x", "dblink", "./scripts/sync/init.lua" }) do
  if pcall(recovery.copy, "conf/x.conf", path, { to_server = "prod" }) then error("ESCAPED: copied to prod " .. path) end
  if pcall(files.copy, "conf/app.conf", path, { to_server = "prod" }) then error("ESCAPED: copied to prod " .. path) end
end
error("every attack was refused")
