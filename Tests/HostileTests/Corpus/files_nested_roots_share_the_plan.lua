-- attack: hide a planned write from analysis through nested server roots (recovery1's root lies below prod's)
-- analyze: changes
local recovery = files.on("recovery1")
recovery.write("conf/planned.txt", "x")
if files.read("servers/recovery1/conf/planned.txt") ~= "x" then error("ESCAPED: prod does not see recovery1's planned write") end
if not table.concat(files.list("servers/recovery1/conf"), ","):find("planned.txt", 1, true) then error("ESCAPED: prod's listing misses it") end
if pcall(files.write, "servers/recovery1/conf/planned.txt/below", "y") then error("ESCAPED: a write below a planned file was planned") end
files.remove("self/servers/recovery1/conf/planned.txt")
if recovery.exists("conf/planned.txt") then error("ESCAPED: recovery1 still sees a file prod removed") end
