-- attack: a flood of live coroutines, each holding a stack
-- analyze: error limit:memory
local keep = {}
for i = 1, math.maxinteger do
  local co = coroutine.create(function(...) coroutine.yield(...) end)
  coroutine.resume(co, string.rep("x", 64), i)
  keep[i] = co
end
