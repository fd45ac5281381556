-- attack: load with binary mode, a bytecode reader, a custom environment and a chunk that writes
-- analyze: changes
-- execute: error runtime
local header = "\27Lua\84\0\25\147\r\n\26\n\4\8\8"
for _, mode in ipairs({ "b", "bt", "tb", nil }) do
  if load(header, "x", mode) then error("ESCAPED: bytecode loaded in mode " .. tostring(mode)) end
end
local parts = { "\27", "Lua", "\84\0" }
local index = 0
if load(function() index = index + 1 return parts[index] end) then error("ESCAPED: bytecode through a reader") end
local f = load("return io, os.execute, debug, package, require", "x", "t", setmetatable({}, { __index = _G }))
local a, b, c, d = f()
if a or b or c or d then error("ESCAPED: load environment reaches the host") end
load("db.exec('DELETE FROM addresses')")()
load("local d = ... d.exec('DROP TABLE secrets')", "=chunk", "t", {})(db)
if phase.mode == "execute" then error("stop here in execution") end
