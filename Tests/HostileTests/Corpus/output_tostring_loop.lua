-- attack: a __tostring that never returns, handed to print, phase.log and phase.warn
-- analyze: error limit:time
-- execute: error limit:time
local forever = setmetatable({}, { __tostring = function() while true do end end })
pcall(print, forever)
pcall(phase.log, "x", forever)
pcall(phase.warn, forever)
