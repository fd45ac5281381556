-- attack: files phasekit keeps among a server's files: pool locks, volume records, temporary write names
-- analyze: error runtime
-- execute: error runtime
local paths = { "volumes/.phasekit-pool.lock", "./volumes/lv_data.volume.json", "volumes/lv_new.img", ".phasekit-write-x.tmp",
  "conf/.phasekit-write-1.tmp", "servers/recovery1/volumes/lv_snap.volume.json" }
for _, path in ipairs(paths) do
  if pcall(files.write, path, "pwned") then error("ESCAPED: wrote " .. path) end
  if pcall(files.remove, path) then error("ESCAPED: removed " .. path) end
  if pcall(files.copy, "conf/app.conf", path) then error("ESCAPED: copied onto " .. path) end
end
local recovery = files.on("recovery1")
for _, path in ipairs({ "volumes/lv_snap.volume.json", "./volumes/.phasekit-pool.lock" }) do
  if pcall(recovery.write, path, "pwned") then error("ESCAPED: wrote on recovery1 " .. path) end
  if pcall(recovery.remove, path) then error("ESCAPED: removed on recovery1 " .. path) end
end
error("every attack was refused")
