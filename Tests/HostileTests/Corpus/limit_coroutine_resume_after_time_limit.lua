-- attack: swallow the time limit inside a coroutine, then resume it and write
-- analyze: error limit:time
-- execute: error limit:time
local co = coroutine.create(function() while true do end end)
pcall(coroutine.resume, co)
pcall(coroutine.resume, co)
db.exec("DELETE FROM addresses")
