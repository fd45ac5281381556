-- attack: a coroutine yields in the middle of a db.rows stream and writes between resumes
-- analyze: changes
local co = coroutine.wrap(function()
  for row in db.rows("SELECT ip FROM addresses") do coroutine.yield(row.ip) end
end)
co()
db.exec("DELETE FROM addresses")
co()
db.exec("INSERT INTO secrets VALUES ('k2', 'v2')")
