-- attack: __gc finalizers (set directly, added later, through a proxy) that write after the run is over
-- analyze: clean
-- execute: applied
local write = function() db.exec("DELETE FROM addresses") volumes.delete("lv_data") services.stop("db") end
if pcall(setmetatable, {}, { __gc = write }) then error("ESCAPED: setmetatable accepted __gc") end
if pcall(setmetatable, {}, { __gc = true }) then error("ESCAPED: setmetatable accepted a __gc placeholder") end
local meta = {}
keep = setmetatable({}, meta)
meta.__gc = write
local proxy = setmetatable({}, { __index = function() return write end })
if pcall(setmetatable, {}, proxy) then phase.log("metatable with __index accepted") end
for _ = 1, 3 do collectgarbage("collect") end
