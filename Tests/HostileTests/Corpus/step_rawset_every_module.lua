-- attack: rawset every member of every binding module and library to a no-op
-- analyze: clean
-- execute: applied
-- poisons: later steps
local noop = function() return 1 end
for _, module in ipairs({ db, files, services, volumes, hosts, phase, string, table, math, os, utf8, coroutine }) do
  local names = {}
  for name in pairs(module) do names[#names + 1] = name end
  for _, name in ipairs(names) do
    if pcall(rawset, module, name, noop) then error("ESCAPED: rawset reached a module member " .. tostring(name)) end
    pcall(function() module[name] = noop end)
  end
  pcall(rawset, module, "leaked", noop)
end
