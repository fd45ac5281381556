-- The step that runs after each poisoning script of the corpus (`-- poisons: later steps`, see
-- Tests/HostileTests/StepIsolationCorpusTests.swift), on every server row: it must find a
-- pristine environment, and in analysis its one write must be planned.
local function check(ok, what)
  if not ok then error("ESCAPED: " .. what .. " leaked from an earlier step") end
end
return {
  run = function(ctx)
    check(phase.mode == ctx.mode, "phase.mode (" .. tostring(phase.mode) .. ")")
    check(getmetatable(_G) == nil, "a metatable on _G")
    check(_G._G == _G and _ENV == _G, "_G")
    for name in pairs(_G) do
      check(type(name) ~= "string" or name:sub(1, 6) ~= "leaked", "the global " .. tostring(name))
    end
    for _, module in ipairs({ db, files, services, volumes, hosts, phase, string, table, math, os, utf8, coroutine }) do
      check(type(module) == "userdata" and getmetatable(module) == "locked", "a replaced module")
    end
    for name, member in pairs(db) do check(type(member) == "function", "db." .. name) end
    check(db.value("SELECT count(*) FROM addresses") == 2, "db.value")
    check(string.format("%d-%s", 7, "x") == "7-x", "string.format")
    check(("%d"):format(8) == "8" and ("ab"):upper() == "AB" and ("x"):rep(3) == "xxx", "the string metatable")
    check(getmetatable("") == "locked", "the string metatable")
    check(tostring(12) == "12" and type("") == "string" and select("#", 1, 2) == 2, "base functions")
    check(tonumber("5") == 5 and rawequal(print, print) and next({}) == nil, "base functions")
    check(pcall(error, "x") == false and select(2, pcall(error, "y", 0)) == "y", "pcall or error")
    check(table.concat({ "a", "b" }, ",") == "a,b" and math.floor(1.5) == 1 and math.pi > 3.14, "libraries")
    check(utf8.char(72) == "H" and type(os.time()) == "number" and coroutine.running() ~= nil, "libraries")
    check(phase.params.marker == ctx.params.marker and phase.params.leaked == nil, "phase.params")
    for key in pairs(phase.params) do check(key ~= "leaked", "phase.params.leaked") end
    local ok, probe = pcall(require, "witness_probe")
    check(not ok or (probe.value == "pristine" and probe.loads == 1), "a require'd module")
    check(getmetatable(setmetatable({}, { __index = function() return "x" end })) ~= nil, "setmetatable")
    if ctx.mode == "analyze" then
      db.exec("UPDATE addresses SET state = 'allocated' WHERE ip = ?", "10.0.0.1")
    end
    phase.log("witness: pristine")
  end,
}
