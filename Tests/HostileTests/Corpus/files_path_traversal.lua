-- attack: every files binding with '..', absolute paths, symlinks out of the root, a symlinked parent, NUL bytes
-- analyze: clean
-- execute: applied
local paths = { "../outside/secret.txt", "../../etc/passwd", "/etc/passwd", "//etc/passwd", "escape/secret.txt",
  "escape/new.txt", "escape", "escape/", "./escape/x", "conf/linked/deep.txt", "conf/linked/new.txt", "conf/linked",
  "conf/../../outside/secret.txt", "conf/./../../x", "conf//..//..//x", "a\0b", "conf/app.conf\0.txt", "",
  phase.params.outside .. "/secret.txt", "escape/sub/deep.txt", "conf/linked/../secret.txt" }
for _, path in ipairs(paths) do
  if pcall(files.write, path, "pwned") then error("ESCAPED: wrote " .. path) end
  if pcall(files.read, path) then error("ESCAPED: read " .. path) end
  if pcall(files.remove, path) then error("ESCAPED: removed " .. path) end
  if pcall(files.copy, "conf/app.conf", path) then error("ESCAPED: copied to " .. path) end
  if pcall(files.copy, path, "conf/copy.txt") then error("ESCAPED: copied from " .. path) end
  if pcall(files.copy, "conf/app.conf", path, { to_server = "recovery1" }) then error("ESCAPED: copied to recovery1 " .. path) end
  if pcall(files.on("recovery1").write, path, "pwned") then error("ESCAPED: wrote on recovery1 " .. path) end
  if path ~= "" and path:find("escape") and pcall(files.list, path) then error("ESCAPED: listed " .. path) end
end
