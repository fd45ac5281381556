-- attack: transaction and connection control in every spelling, through every db binding
-- analyze: clean
-- execute: applied
local outside = phase.params.outside
local spellings = {
  "COMMIT", "commit;", "  \n\tCoMmIt  ", "/* c */ COMMIT", "-- c\nCOMMIT", "COMMIT TRANSACTION",
  "END", "end transaction", "ROLLBACK", "ROLLBACK TRANSACTION", "ROLLBACK TO SAVEPOINT a",
  "SAVEPOINT a", "RELEASE a", "RELEASE SAVEPOINT a", "BEGIN", "BEGIN IMMEDIATE", "begin exclusive transaction",
  "ATTACH DATABASE ':memory:' AS m", "attach '" .. outside .. "/pwned.db' as p", "DETACH DATABASE main", "DETACH m",
  "VACUUM", "VACUUM INTO '" .. outside .. "/copy.db'", "vacuum main into '" .. outside .. "/copy2.db'",
  "PRAGMA journal_mode = OFF", "pragma journal_mode=delete", "PRAGMA writable_schema = ON",
  "PRAGMA main.user_version = 7", "  pragma   USER_VERSION=7", "PRAGMA synchronous = OFF",
  "PRAGMA locking_mode = EXCLUSIVE", "PRAGMA query_only = 0", "PRAGMA wal_checkpoint(TRUNCATE)",
  "SELECT 1; COMMIT", "COMMIT; SELECT 1",
}
for _, sql in ipairs(spellings) do
  for _, binding in ipairs({ "exec", "query", "value" }) do
    if pcall(db[binding], sql) then error("ESCAPED: db." .. binding .. " ran " .. sql) end
  end
  if pcall(function() for _ in db.rows(sql) do end end) then error("ESCAPED: db.rows ran " .. sql) end
end
