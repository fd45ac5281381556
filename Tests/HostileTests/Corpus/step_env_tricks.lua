-- attack: _ENV and _G replacements that would make later steps see fake modules
-- analyze: clean
-- execute: applied
-- poisons: later steps
local real = _G
local fake_db = setmetatable({ exec = function() return 1 end }, { __index = db })
real.db = fake_db
real.phase = setmetatable({ mode = "execute" }, { __index = phase })
real._G = setmetatable({}, { __index = real })
real.string = setmetatable({ format = function() return "poisoned" end }, { __index = string })
leaked_env = real
do
  local _ENV = setmetatable({}, { __index = real, __newindex = function(_, k, v) rawset(real, k, v) end })
  leaked_through_env = true
end
