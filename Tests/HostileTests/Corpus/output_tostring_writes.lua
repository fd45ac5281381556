-- attack: a __tostring that writes while print and phase.log convert it (the write is the script's own)
-- analyze: changes
local sneaky = setmetatable({}, { __tostring = function()
  db.exec("DELETE FROM addresses")
  return "harmless"
end })
print(sneaky)
phase.log(sneaky)
local odd = setmetatable({}, { __tostring = function() return {} end })
if pcall(print, odd) then error("ESCAPED: a __tostring returning a table was accepted") end
local named = setmetatable({}, { __name = "thing" })
print(named)
