-- attack: unbounded non-tail recursion, caught by pcall, then again outside it
-- analyze: error runtime
local function dive(n) return 1 + dive(n + 1) end
pcall(dive, 1)
local function dive_through_metamethods(t) return t + 1 end
local meta = {} meta.__add = function(a) return dive_through_metamethods(a) end
pcall(dive_through_metamethods, setmetatable({}, meta))
dive(1)
