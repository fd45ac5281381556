-- attack: no arguments, nil holes and hundreds of extra arguments to every binding
-- analyze: clean
local many = {}
for i = 1, 200 do many[i] = i end
for _, module in ipairs({ db, volumes, files, services, hosts }) do
  for name, binding in pairs(module) do
    pcall(binding)
    pcall(binding, nil, nil, nil)
    pcall(binding, table.unpack(many))
  end
end
