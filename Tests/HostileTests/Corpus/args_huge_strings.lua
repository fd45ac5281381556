-- attack: 10 MB strings as SQL, names, paths and tags
-- analyze: clean
local huge = string.rep("x", 10 << 20)
pcall(db.exec, huge)
pcall(db.value, "SELECT ?", huge)
pcall(volumes.get, huge)
pcall(volumes.tag, "lv_data", huge)
pcall(files.read, huge)
pcall(files.exists, huge)
pcall(services.status, huge)
pcall(hosts.list, huge)
phase.log(#huge)
