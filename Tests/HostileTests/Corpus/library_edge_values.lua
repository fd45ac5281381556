-- attack: edge values through the standard libraries (os.date, string.pack, utf8, math, table) to crash the host
-- analyze: clean
-- execute: applied
local probes = {
  function() return os.date("%Ez") end, function() return os.date("*t", 2^62) end,
  function() return os.date("!%c", -2^62) end, function() return os.time({ year = 2^62, month = 1, day = 1 }) end,
  function() return os.date(string.rep("%c", 1000)) end,
  function() return string.pack("i16", 2^62) end, function() return string.unpack("i4", "\1\2", 2^40) end,
  function() return string.pack("!17 i4", 1) end, function() return string.format("%99999d", 1) end,
  function() return string.format("%.99f", 1) end, function() return string.char(256) end,
  function() return utf8.char(0x7FFFFFFF, -1) end, function() return utf8.len("\255\254", 1, 2^40) end,
  function() return utf8.codepoint("abc", math.mininteger, math.maxinteger) end,
  function() return math.mininteger // -1, math.mininteger % -1, math.fmod(math.mininteger, -1) end,
  function() return 1 // 0 end, function() return math.random(math.mininteger, math.maxinteger) end,
  function() return math.tointeger(2^63), math.ult(-1, 1) end,
  function() return table.unpack({}, 1, 1e8) end, function() return table.concat({}, "", 1, math.maxinteger) end,
  function() return table.move({ 1 }, 1, math.maxinteger, 2) end, function() return table.insert({}, 5, 1) end,
  function() return select(-1) end, function() return select(math.mininteger, 1) end,
  function() return ("x"):rep(-1), ("x"):sub(math.mininteger, math.maxinteger) end,
  function() return tostring(nil):byte(1, math.maxinteger) end, function() return string.rep("x", 0, string.rep("y", 99)) end,
}
for _, probe in ipairs(probes) do pcall(probe) end
