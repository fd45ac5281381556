-- attack: replace base functions (tostring, type, select, pcall, error, require, load, print) for later steps
-- analyze: clean
-- execute: applied
-- poisons: later steps
local poisoned = function() return "poisoned" end
for _, name in ipairs({ "tostring", "tonumber", "type", "select", "pcall", "error", "require", "load",
                        "next", "pairs", "ipairs", "rawequal", "setmetatable", "getmetatable", "print" }) do
  rawset(_G, name, poisoned)
end
