-- attack: writes through the read bindings db.query, db.value and db.rows (RETURNING, CTE)
-- analyze: changes
db.query("DELETE FROM addresses WHERE ip = '10.0.0.1' RETURNING ip")
db.value("UPDATE addresses SET state = 'x' RETURNING state")
for _ in db.rows("INSERT INTO secrets VALUES ('a', 'b') RETURNING k") do end
db.value("WITH doomed AS (SELECT 1) DELETE FROM secrets")
db.value("REPLACE INTO addresses VALUES ('10.0.0.2', 'replaced') RETURNING ip")
