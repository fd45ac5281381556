-- A first phasekit script: plans a file and a volume, reports what it found.
-- phasekit run Scripts/examples/hello.lua --site DIR            (analysis: nothing changes)
-- phasekit run Scripts/examples/hello.lua --site DIR --execute  (asks, then applies)

phase.log("mode:", phase.mode)

if not files.exists("motd.txt") then
  files.write("motd.txt", "Managed by phasekit\n")
end

local found = volumes.get("scratch")
if not found then
  phase.issue{ summary = "volume scratch is missing", resolution = "planned" }
  volumes.create{ group = "vg0", name = "scratch", size = "64M", role = "data", tags = { "example" } }
end

for _, volume in ipairs(volumes.list{ group = "vg0" }) do
  print(volume.name, volume.size, volume.planned and "(planned)" or "")
end
