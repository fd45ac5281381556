-- attack: a trigger raising ROLLBACK ends the analysis transaction before a later write
-- analyze: changes
db.exec([[CREATE TRIGGER kill AFTER UPDATE ON addresses BEGIN SELECT RAISE(ROLLBACK, 'gone'); END]])
pcall(db.exec, "UPDATE addresses SET state = 'x'")
db.exec("DELETE FROM addresses")
db.exec("CREATE TABLE pwned (x)")
