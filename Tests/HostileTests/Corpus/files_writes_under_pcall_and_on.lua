-- attack: overwrite the site's own files (site.yaml, the database, volume records) in analysis, through every files write
-- analyze: changes
pcall(files.write, "site.yaml", "name: pwned\n")
pcall(files.write, "cms.db", "")
pcall(files.remove, "volumes/lv_data.volume.json")
pcall(files.copy, "site.yaml", "conf/app.conf")
pcall(files.copy, "site.yaml", "volumes/lv_snap.volume.json", { to_server = "recovery1" })
local recovery = files.on("recovery1")
pcall(recovery.write, "volumes/lv_snap.volume.json", "{}")
pcall(recovery.remove, "volumes/lv_snap.volume.json")
files.write("conf/new/dir/file.txt", "x")
if files.read("site.yaml") ~= "name: pwned\n" then error("ESCAPED: analysis does not see its own write") end
