-- attack: reach the string library behind the string metatable and change it for later steps
-- analyze: clean
-- execute: applied
-- poisons: later steps
local meta = getmetatable("")
if type(meta) == "table" then error("ESCAPED: the string metatable is reachable") end
pcall(function() ("").format = function() return "poisoned" end end)
pcall(function() local s = ("").format; rawset(s, "x", 1) end)
pcall(function() ("x").rep.leaked = true end)
local index = ("").upper
pcall(rawset, index, "x", 1)
for _, method in ipairs({ "format", "rep", "upper", "sub", "gsub" }) do
  local f = ("")[method]
  if type(f) ~= "function" then error("ESCAPED: string method " .. method .. " is " .. type(f)) end
end
