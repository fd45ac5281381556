-- attack: keep a suspended coroutine (holding db and a to-be-closed variable) for a later step
-- analyze: clean
-- execute: applied
-- poisons: later steps
local exec = db.exec
local co = coroutine.create(function()
  local guard <close> = setmetatable({}, { __close = function() pcall(exec, "DELETE FROM addresses") end })
  while true do coroutine.yield(exec) end
end)
coroutine.resume(co)
leaked_coroutine = co
pcall(function() phase.params.leaked = co end)
pcall(rawset, db, "leaked", co)
local wrapped = coroutine.wrap(function() while true do coroutine.yield() end end)
wrapped()
leaked_wrapped = wrapped
