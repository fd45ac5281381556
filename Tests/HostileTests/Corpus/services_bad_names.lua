-- attack: service names that are paths, commands, NUL bytes, tables or huge strings
-- analyze: clean
-- execute: applied
for _, name in ipairs({ "../../bin/sh", "/bin/sh", "db\0", "db/../agent", "", "*", "db; kill -9 1", string.rep("s", 100000) }) do
  for _, verb in ipairs({ "start", "stop", "restart" }) do
    if pcall(services[verb], name) then error("ESCAPED: services." .. verb .. "(" .. name .. ")") end
  end
end
for _, value in ipairs({ {}, print, 1 }) do
  if pcall(services.stop, value) then error("ESCAPED: services.stop(" .. type(value) .. ")") end
end
