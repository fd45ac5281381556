-- attack: reach io, os.execute, package, debug, string.dump, dofile, loadfile through globals, _ENV, _G and libraries
-- analyze: clean
-- execute: applied
-- Libraries are userdata proxies that rawget refuses: a refusal reads as nil.
local function raw(t, k) local ok, v = pcall(rawget, t, k) return ok and v or nil end
local forbidden = { "io", "debug", "package", "dofile", "loadfile", "module", "_REGISTRY" }
for _, name in ipairs(forbidden) do
  if _G[name] ~= nil or _ENV[name] ~= nil or rawget(_G, name) ~= nil then error("ESCAPED: global " .. name) end
end
for _, name in ipairs({ "execute", "getenv", "remove", "rename", "exit", "tmpname", "setlocale" }) do
  if os[name] ~= nil or raw(os, name) ~= nil then error("ESCAPED: os." .. name) end
end
if string.dump ~= nil or ("").dump ~= nil or raw(string, "dump") ~= nil then error("ESCAPED: string.dump") end
for name, value in pairs(string) do if name == "dump" then error("ESCAPED: string.dump by pairs") end end
for _, library in ipairs({ string, table, math, utf8, coroutine, os }) do
  for _, value in pairs(library) do
    if type(value) == "table" and (value.open or value.execute or value.getregistry) then error("ESCAPED: nested library") end
  end
end
for _, what in ipairs({ "stop", "restart", "incremental", "generational", "setpause", "setstepmul" }) do
  if pcall(collectgarbage, what) then error("ESCAPED: collectgarbage " .. what) end
end
