-- attack: a pattern that backtracks exponentially inside one string.find call
-- analyze: error limit:time
-- execute: error limit:time
pcall(string.find, string.rep("a", 40), string.rep("a*", 40) .. "b")
db.exec("DELETE FROM addresses")
