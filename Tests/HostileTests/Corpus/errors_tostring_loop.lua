-- attack: an uncaught error object whose __tostring never returns while the host reports it
-- analyze: error limit:time
-- execute: error limit:time
error(setmetatable({}, { __tostring = function() while true do end end }))
