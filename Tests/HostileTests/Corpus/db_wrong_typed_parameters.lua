-- attack: tables, functions, cycles, NaN, 2^63 and 10 MB strings as bound parameters and as SQL
-- analyze: changes
local cyclic = {} cyclic.self = cyclic
for _, value in ipairs({ {}, cyclic, print, coroutine.create(print) }) do
  if pcall(db.exec, "UPDATE addresses SET state = ? WHERE ip = 'none'", value) then error("ESCAPED: a " .. type(value) .. " parameter") end
end
for _, value in ipairs({ 0/0, 2^63, -2^63, math.maxinteger, math.mininteger, 1/0, string.rep("x", 10 << 20), "\0\255" }) do
  db.exec("UPDATE addresses SET state = ? WHERE ip = 'none'", value)
end
for _, sql in ipairs({ {}, cyclic, 42, nil, string.rep("x", 10 << 20) }) do
  if pcall(db.exec, sql) then error("ESCAPED: SQL given as " .. type(sql)) end
end
