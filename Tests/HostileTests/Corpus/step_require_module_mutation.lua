-- attack: change a require'd library module (and its cache) so later steps load the changed one
-- analyze: clean
-- execute: applied
-- poisons: later steps
local ok, probe = pcall(require, "witness_probe")
if ok then
  probe.value = "poisoned"
  probe.loads = 99
  rawset(probe, "exec", function() return 1 end)
end
pcall(function() package.loaded.witness_probe = { value = "poisoned" } end)
pcall(rawset, _G, "require", function() return { value = "poisoned", loads = 1 } end)
