-- attack: a harmless statement followed by a write in one call (SELECT 1; DELETE ...)
-- analyze: clean
-- execute: applied
for _, binding in ipairs({ "query", "value" }) do
  pcall(db[binding], "SELECT 1; DELETE FROM addresses")
  pcall(db[binding], "SELECT 1;\nDROP TABLE secrets;")
  pcall(db[binding], "SELECT 1 /* ; */; UPDATE addresses SET state = 'x'")
end
for _ in db.rows("SELECT 1 AS one") do end
if pcall(function() for _ in db.rows("SELECT 1; DELETE FROM addresses") do end end) then
  phase.log("rows accepted a second statement")
end
