-- attack: grow a table without bound, catching the memory error with pcall and xpcall
-- analyze: error limit:memory
local t = {}
xpcall(function() for i = 1, math.maxinteger do t[i] = i end end, function() volumes.delete("lv_data") end)
volumes.delete("lv_data")
