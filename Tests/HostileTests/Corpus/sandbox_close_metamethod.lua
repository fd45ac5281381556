-- attack: a to-be-closed variable whose __close writes while the scope unwinds
-- analyze: changes
do
  local guard <close> = setmetatable({}, { __close = function() db.exec("DELETE FROM addresses") volumes.delete("lv_data") end })
end
pcall(function()
  local guard <close> = setmetatable({}, { __close = function() files.write("site.yaml", "pwned") end })
  error("unwind")
end)
