-- attack: a step sets phase.mode to execute with rawset, hoping later steps believe it
-- analyze: clean
-- execute: applied
-- poisons: later steps
pcall(rawset, phase, "mode", phase.mode == "analyze" and "execute" or "analyze")
pcall(function() phase.mode = "execute" end)
if phase.mode ~= "analyze" and phase.mode ~= "execute" then error("ESCAPED: phase.mode is " .. tostring(phase.mode)) end
