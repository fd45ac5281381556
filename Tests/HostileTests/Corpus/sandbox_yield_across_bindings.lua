-- attack: yield from inside callbacks run by C functions (gsub, sort, load readers, __close) and across bindings
-- analyze: changes
local function attempt(body)
  local co = coroutine.create(body)
  local ok = coroutine.resume(co)
  if coroutine.status(co) == "suspended" then pcall(coroutine.resume, co) end
  return ok
end
attempt(function() string.gsub("a", "a", function() coroutine.yield() db.exec("DELETE FROM addresses") end) end)
attempt(function() table.sort({ 2, 1 }, function(a, b) coroutine.yield() return a < b end) end)
attempt(function() load(function() coroutine.yield() return nil end) end)
attempt(function() pcall(coroutine.yield) db.exec("UPDATE addresses SET state = 'y'") end)
attempt(function() for _ in db.rows("SELECT 1") do coroutine.yield() end db.exec("DROP TABLE secrets") end)
local co = coroutine.wrap(function() while true do coroutine.yield(db.exec("DELETE FROM addresses")) end end)
co() co() co()
