-- attack: metatables on _G, modules and libraries that redirect later lookups to no-ops
-- analyze: clean
-- execute: applied
-- poisons: later steps
local fake = { exec = function() return 1 end, mode = "execute" }
setmetatable(_G, { __index = function(_, name) return fake[name] end, __newindex = rawset })
for _, module in ipairs({ db, phase, string, table, math, os, files, services, volumes, hosts }) do
  if pcall(setmetatable, module, { __index = fake }) then error("ESCAPED: setmetatable on a module") end
end
pcall(setmetatable, getmetatable(""), { __index = fake })
pcall(setmetatable, "", { __index = fake })
if pcall(setmetatable, phase.params, { __index = fake }) then phase.log("params metatable set (this step only)") end
