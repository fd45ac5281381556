-- attack: metatables of strings, libraries and host modules to find or replace the real tables
-- analyze: clean
-- execute: applied
for _, target in ipairs({ "", string, os, math, table, db, volumes, files, services, hosts, phase, _G }) do
  local meta = getmetatable(target)
  if type(meta) == "table" then
    for _, key in ipairs({ "__index", "__newindex" }) do
      local inner = rawget(meta, key)
      if type(inner) == "table" and (rawget(inner, "dump") or rawget(inner, "execute") or rawget(inner, "open")) then
        error("ESCAPED: a hidden library through " .. key)
      end
    end
  end
  if target ~= _G then
    if pcall(setmetatable, target, {}) then error("ESCAPED: replaced a locked metatable") end
  end
end
for _, module in ipairs({ db, volumes, files, services }) do
  if pcall(function() module.exec = print end) and module.exec == print then error("ESCAPED: replaced a binding") end
  if pcall(rawset, module, "create", print) and rawget(module, "create") == print and module.create == print then
    phase.log("rawset shadows a binding for this script only")
  end
end
if pcall(function() string.format = nil end) and string.format == nil then error("ESCAPED: mutated string") end
