-- attack: double a string until memory runs out, inside a coroutine
-- analyze: error limit:memory
local co = coroutine.wrap(function() local s = "x" while true do s = s .. s end end)
pcall(co)
db.exec("DELETE FROM addresses")
