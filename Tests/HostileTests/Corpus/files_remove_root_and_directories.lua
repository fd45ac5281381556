-- attack: remove the root, state/ and other directories (analysis must refuse what execution refuses)
-- analyze: error runtime
-- execute: error runtime
for _, path in ipairs({ ".", "./", ".//", "./state", "state", "conf", "self", "statelink", "escape", "volumes" }) do
  if pcall(files.remove, path) then error("ESCAPED: removed " .. path) end
  if pcall(files.write, path, "pwned") then error("ESCAPED: wrote over the directory " .. path) end
end
error("every attack was refused")
