-- attack: options tables whose fields come from __index, or whose tags are cyclic
-- analyze: error runtime
local cyclic = {} cyclic[1] = cyclic
pcall(volumes.create, { name = "cyc", group = "vg0", size = "1M", tags = cyclic })
volumes.create(setmetatable({}, { __index = function(_, key)
  return ({ name = "sneaky", group = "vg0", size = "1M" })[key]
end }))
