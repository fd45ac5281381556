-- attack: SQL injection and path escapes through db.import_csv names, columns and paths
-- analyze: clean
-- execute: applied
local names = { "x; DROP TABLE addresses", "main.addresses", "addresses(ip) AS SELECT 1; --", "a b", "", "t\0x" }
for _, name in ipairs(names) do
  if pcall(db.import_csv, name, "site.yaml", { "a" }) then error("ESCAPED: import_csv name " .. name) end
end
for index, columns in ipairs({ { "a) ; DROP TABLE addresses; --" }, { "a", "b c" }, {}, { 1 }, { "a\0" } }) do
  if pcall(db.import_csv, "c" .. index, "site.yaml", columns) then error("ESCAPED: import_csv columns #" .. index) end
end
-- conf/linked leads outside the root to a file whose only line is "deep": a header naming the column.
for index, path in ipairs({ "/etc/passwd", "../../../../etc/passwd", "state/../../x.csv", "conf/linked/deep.txt", "\0" }) do
  local ok, rows = pcall(db.import_csv, "p" .. index, path, { "deep" })
  if ok and rows ~= nil then error("ESCAPED: import_csv read " .. path) end
end
