-- attack: contents and paths of the wrong type, cyclic, 10 MB, absurdly long
-- analyze: changes
local cyclic = {} cyclic[1] = cyclic
for _, content in ipairs({ {}, cyclic, 42, true, print }) do
  if pcall(files.write, "conf/x.txt", content) then error("ESCAPED: wrote a " .. type(content)) end
end
if pcall(files.write, "conf/x.txt") then error("ESCAPED: wrote nil") end
for _, path in ipairs({ {}, cyclic, print, true, string.rep("d/", 5000) .. "f", string.rep("f", 100000) }) do
  pcall(files.write, path, "x")
  pcall(files.read, path)
end
files.write("conf/big.bin", string.rep("\0\255", 5 << 20))
pcall(files.copy, "conf/app.conf", "conf/c.txt", { to_server = {} })
pcall(files.copy, "conf/app.conf", "conf/c.txt", cyclic)
