-- attack: volumes.on/files.on/services.on with unknown servers, paths, NUL, tables and nil
-- analyze: clean
-- execute: applied
for _, server in ipairs({ "nowhere", "../prod", "prod\0", "", "/", "PROD", string.rep("s", 100000) }) do
  for _, module in ipairs({ volumes, files, services }) do
    if pcall(module.on, server) then error("ESCAPED: on(" .. server .. ")") end
  end
end
for _, value in ipairs({ {}, print, true }) do
  if pcall(volumes.on, value) then error("ESCAPED: volumes.on(" .. type(value) .. ")") end
end
if pcall(volumes.on) then error("ESCAPED: volumes.on()") end
local ok, nested = pcall(function() return volumes.on("recovery1").on end)
if ok and nested ~= nil then error("ESCAPED: a scoped module offers on again") end
