-- attack: require with traversal, absolute paths, C modules, library names, NUL bytes, empty and absurd names
-- analyze: clean
-- execute: applied
local names = { "../../etc/passwd", "/etc/passwd", "io", "os", "debug", "package", "socket.core", "lfs", "", ".",
  "..", "a..b", "x.", ".x", "site\0x", "scripts/lib/x", "etc.passwd", string.rep("a", 100000), "ffi", "jit" }
for _, name in ipairs(names) do
  local ok, module = pcall(require, name)
  if ok and type(module) == "table" and (module.open or module.execute or module.getregistry or module.loadlib) then
    error("ESCAPED: require('" .. name .. "')")
  end
  if ok and name ~= "os" and name ~= "string" then error("ESCAPED: require('" .. name .. "') loaded something") end
end
for _, value in ipairs({ {}, print, 42 }) do
  if pcall(require, value) then error("ESCAPED: require of a " .. type(value)) end
end
