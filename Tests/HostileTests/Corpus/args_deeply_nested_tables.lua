-- attack: arguments nested 100000 levels deep to every binding and to phase functions
-- analyze: clean
local deep = {}
local cursor = deep
for _ = 1, 100000 do cursor[1] = {} cursor = cursor[1] end
pcall(volumes.create, deep)
pcall(volumes.list, deep)
pcall(db.exec, "UPDATE addresses SET state = ?", deep)
pcall(files.write, "conf/deep.txt", deep)
pcall(files.copy, "conf/app.conf", "conf/d.txt", deep)
pcall(services.start, deep)
pcall(phase.log, deep)
pcall(phase.issue, { summary = "deep", detail = deep })
pcall(db.temp_table, "t", { "a" }, deep)
