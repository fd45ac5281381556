-- attack: stop the running service, start the stopped ones, restart, on both servers, under pcall
-- analyze: changes
pcall(services.stop, "db")
pcall(services.restart, "db")
pcall(services.start, "agent")
local recovery = services.on("recovery1")
pcall(recovery.start, "db")
pcall(recovery.restart, "agent")
services.stop("db")
if services.status("db") ~= "stopped" then error("ESCAPED: analysis does not see its own stop") end
