-- attack: a step replaces string.format with rawset so that later steps build other SQL
-- analyze: clean
-- execute: applied
-- poisons: later steps
pcall(rawset, string, "format", function() return "DELETE FROM addresses" end)
pcall(rawset, string, "rep", function() return "poisoned" end)
if string.format("%d", 1) ~= "1" then error("ESCAPED: string.format replaced") end
