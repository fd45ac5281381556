-- attack: plant a hot journal or WAL beside the database, which SQLite would apply on its next open
-- analyze: error runtime
-- execute: error runtime
for _, path in ipairs({ "cms.db-journal", "./cms.db-wal", "cms.db-shm", "self/cms.db-journal", ".//cms.db-journal" }) do
  if pcall(files.write, path, "pwned") then error("ESCAPED: wrote " .. path) end
  if pcall(files.copy, "cms.db", path) then error("ESCAPED: copied onto " .. path) end
end
error("every attack was refused")
