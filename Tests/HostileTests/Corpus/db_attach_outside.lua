-- attack: attach a database file outside the site and write to it
-- analyze: clean
-- execute: applied
local target = phase.params.outside .. "/pwned.db"
for _, sql in ipairs({ "ATTACH ? AS p", "ATTACH DATABASE ? AS p" }) do
  if pcall(db.exec, sql, target) then error("ESCAPED: " .. sql) end
  if pcall(db.value, sql, target) then error("ESCAPED: " .. sql) end
end
if pcall(db.exec, "CREATE TABLE p.t (x)") then error("ESCAPED: created a table in an attached database") end
if pcall(db.value, "SELECT count(*) FROM pragma_database_list WHERE name = 'p'") and db.value("SELECT count(*) FROM pragma_database_list WHERE name = 'p'") > 0 then
  error("ESCAPED: p is attached")
end
