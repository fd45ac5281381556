-- attack: a step replaces db.exec with rawset so that later steps' writes are never planned
-- analyze: clean
-- execute: applied
-- poisons: later steps
local ok = pcall(rawset, db, "exec", function() return 1 end)
if ok and rawget(db, "exec") then phase.log("rawset reached db (this step only)") end
pcall(function() db.exec = function() return 1 end end)
