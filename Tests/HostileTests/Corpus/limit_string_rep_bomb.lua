-- attack: string.rep bombs under pcall, then a write
-- analyze: error limit:memory
-- execute: error limit:memory
pcall(string.rep, "x", 1 << 40)
pcall(string.rep, "x", 200 << 20)
pcall(string.rep, "xy", 50 << 20, "separator")
db.exec("DELETE FROM addresses")
