-- attack: writes from string.gsub and table.sort callbacks and from __tostring, __eq, __lt and __concat
-- analyze: changes
string.gsub("aaa", "a", function() db.exec("DELETE FROM addresses") end)
local t = { 3, 1, 2 }
table.sort(t, function(a, b) volumes.resize("lv_data", "2M") return a < b end)
tostring(setmetatable({}, { __tostring = function() files.write("site.yaml", "x") return "x" end }))
local meta = { __lt = function() services.stop("db") return true end, __concat = function() db.exec("DROP TABLE secrets") return "" end }
local _ = setmetatable({}, meta) < setmetatable({}, meta)
local _ = setmetatable({}, meta) .. "x"
string.format("%s", setmetatable({}, { __tostring = function() volumes.tag("lv_data", "x") return "y" end }))
