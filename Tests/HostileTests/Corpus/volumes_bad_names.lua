-- attack: volume names that are paths (traversal, absolute, NUL) or absurd
-- analyze: clean
-- execute: applied
local names = { "../../outside/pwned", "../escape", "/tmp/pwned", "a/b", "a\0b", ".", "..", "", string.rep("n", 100000),
  "lv_data/../../x", "-rf", "\n" }
for _, name in ipairs(names) do
  if pcall(volumes.create, { name = name, group = "vg0", size = "1M" }) then error("ESCAPED: created volume " .. name) end
  if pcall(volumes.create, { name = "ok", group = name, size = "1M" }) and name:find("/") then
    error("ESCAPED: created a volume in group " .. name)
  end
  pcall(volumes.delete, "ok")
  if pcall(volumes.delete, name) then error("ESCAPED: deleted volume " .. name) end
end
