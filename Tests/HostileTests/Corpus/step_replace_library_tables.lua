-- attack: replace library tables and their functions (table, math, os, utf8, coroutine) for later steps
-- analyze: clean
-- execute: applied
-- poisons: later steps
local poisoned = function() return "poisoned" end
for _, name in ipairs({ "table", "math", "os", "utf8", "coroutine" }) do
  local library = _G[name]
  for member in pairs(library) do
    pcall(function() library[member] = poisoned end)
    if pcall(rawset, library, member, poisoned) then error("ESCAPED: rawset on " .. name .. "." .. member) end
  end
  _G[name] = setmetatable({}, { __index = function() return poisoned end })
end
