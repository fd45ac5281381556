-- attack: a busy loop inside a gsub callback and a sort comparator, under pcall
-- analyze: error limit:time
pcall(string.gsub, "aaaa", "a", function() while true do end end)
services.stop("db")
