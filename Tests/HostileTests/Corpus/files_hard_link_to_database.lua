-- attack: a hard link to the database (another name of the same file) is written over, removed and copied onto
-- analyze: error runtime
-- execute: error runtime
for _, path in ipairs({ "conf/db-hardlink", "./conf/db-hardlink", "self/conf/db-hardlink" }) do
  if pcall(files.write, path, "pwned") then error("ESCAPED: wrote " .. path) end
  if pcall(files.copy, "conf/app.conf", path) then error("ESCAPED: copied onto " .. path) end
  if pcall(files.remove, path) then error("ESCAPED: removed " .. path) end
end
error("every attack was refused")
