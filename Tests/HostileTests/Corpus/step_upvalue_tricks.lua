-- attack: closures whose upvalues hold bindings, stored where a later step might call them
-- analyze: clean
-- execute: applied
-- poisons: later steps
local exec, stop = db.exec, services.stop
local function later() exec("DELETE FROM addresses") stop("db") end
leaked_later = later
pcall(function() phase.params.leaked = later end)
pcall(rawset, phase, "leaked", later)
pcall(function() getmetatable("").__index.leaked = later end)
local loader = load("return function() return ... end", "=upvalues", "t", { exec = exec })
leaked_loader = loader
