-- attack: cyclic tables as arguments to every binding and to phase functions
-- analyze: clean
local cyclic = { name = "cyc", group = "vg0", size = "1M" }
cyclic.tags = cyclic
cyclic[1] = cyclic
pcall(volumes.create, cyclic)
pcall(volumes.list, cyclic)
pcall(db.exec, "UPDATE addresses SET state = ?", cyclic)
pcall(files.write, cyclic, "x")
pcall(services.restart, cyclic)
pcall(phase.log, cyclic)
pcall(phase.issue, cyclic)
pcall(phase.review, "cyc", cyclic)
print(cyclic)
