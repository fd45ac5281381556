-- attack: a __close handler that writes while a memory limit unwinds the stack, in both modes
-- analyze: error limit:memory
-- execute: error limit:memory
local guard <close> = setmetatable({}, { __close = function()
  db.exec("DELETE FROM addresses")
  volumes.delete("lv_data")
  files.write("conf/app.conf", "pwned")
end })
local t = {}
for i = 1, math.maxinteger do t[i] = string.rep("x", 1024) .. i end
