-- attack: load a shared library through SQLite's load_extension and other dangerous SQL functions
-- analyze: clean
-- execute: applied
for _, sql in ipairs({ "SELECT load_extension('/lib/x86_64-linux-gnu/libc.so.6')",
                       "SELECT load_extension('/lib/x86_64-linux-gnu/libc.so.6', 'system')",
                       "SELECT writefile('" .. phase.params.outside .. "/w', 'x')",
                       "SELECT readfile('/etc/passwd')", "SELECT edit('x')" }) do
  if pcall(db.value, sql) then error("ESCAPED: " .. sql) end
end
