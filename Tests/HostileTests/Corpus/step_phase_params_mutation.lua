-- attack: change phase.params and the step context for later steps
-- analyze: clean
-- execute: applied
-- poisons: later steps
pcall(function() phase.params.marker = "poisoned" end)
pcall(function() phase.params.leaked = true end)
pcall(rawset, phase.params, "leaked", true)
pcall(rawset, phase, "params", { marker = "poisoned", leaked = true })
