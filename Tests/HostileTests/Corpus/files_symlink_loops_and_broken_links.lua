-- attack: link loops and broken links, for every files binding: each fails cleanly, the same way in both modes
-- analyze: error runtime
-- execute: error runtime
for _, path in ipairs({ "loop1", "loop1/x", "loop2/../cms.db", "broken", "broken/x", "./broken" }) do
  if pcall(files.write, path, "pwned") then error("ESCAPED: wrote " .. path) end
  if pcall(files.read, path) then error("ESCAPED: read " .. path) end
  if pcall(files.remove, path) then error("ESCAPED: removed " .. path) end
  if pcall(files.exists, path) then error("ESCAPED: exists answered for " .. path) end
  if pcall(files.list, path) then error("ESCAPED: listed " .. path) end
end
error("every attack was refused")
