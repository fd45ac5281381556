-- attack: SQL injection through db.temp_table names, columns and rows
-- analyze: clean
-- execute: applied
local names = { "x; DROP TABLE addresses", "main.addresses", "addresses(ip) AS SELECT 1; --", "a b", "", "1abc",
  string.rep("a", 64), "t\0x", "\"q\"" }
for _, name in ipairs(names) do
  if pcall(db.temp_table, name, { "a" }, {}) then error("ESCAPED: temp_table name " .. name) end
end
local columns = { { "a) ; DROP TABLE addresses; --" }, { "a", "b c" }, {}, { 1 }, { "a\0" }, { string.rep("c", 100) } }
for index, column in ipairs(columns) do
  if pcall(db.temp_table, "t" .. index, column, {}) then error("ESCAPED: temp_table columns #" .. index) end
end
local cyclic = {} cyclic[1] = cyclic
for index, rows in ipairs({ { { {} } }, { { print } }, { cyclic }, { { 1, 2 } }, { "row" } }) do
  if pcall(db.temp_table, "r" .. index, { "a" }, rows) then error("ESCAPED: temp_table rows #" .. index) end
end
db.temp_table("addresses", { "ip", "state" }, { { "evil", "shadow" } })
