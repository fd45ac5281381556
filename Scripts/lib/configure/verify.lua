-- What "this server matches the new configuration" means (step 20). Returns a list of
-- problems, one sentence each; an empty list means the server matches.

local model = require("configure.model")

local verify = {}

local function check_server_in_group(change, name, server, problems)
  local pool, area = volumes.on(name), files.on(name)
  local function problem(text) problems[#problems + 1] = text end

  if not area.exists(model.CONFIG_PATH) then
    problem("the configuration copy " .. model.CONFIG_PATH .. " is missing")
  elseif area.read(model.CONFIG_PATH) ~= change.new_text then
    problem("the configuration copy " .. model.CONFIG_PATH .. " differs from replication/new.yaml")
  end

  local data = model.expected_data(server)
  for volume_name, spec in pairs(data) do
    local volume = pool.get(volume_name)
    if not volume then
      problem("data volume " .. volume_name .. " is missing")
    else
      if volume.size ~= spec.size then problem("data volume " .. volume_name .. " is " .. model.size_text(volume.size) .. ", configured " .. model.size_text(spec.size)) end
      if volume.group ~= spec.group then problem("data volume " .. volume_name .. " is in " .. volume.group .. ", configured " .. spec.group) end
      if not model.has_tag(volume, model.REPLICATED_TAG) then problem("data volume " .. volume_name .. " is not set as replicated") end
    end
    if not area.exists(model.device_path(volume_name)) then problem("device special file " .. model.device_path(volume_name) .. " is missing") end
  end
  for _, volume in ipairs(pool.list{ tag = model.REPLICATED_TAG }) do
    if not data[volume.name] then problem("volume " .. volume.name .. " is still set as replicated but is not configured") end
  end
  for volume_name, path in pairs(model.device_files(name)) do
    if not data[volume_name] then problem("stale device special file " .. path) end
  end

  for volume_name, want in pairs(model.expected_containers(server)) do
    local volume = pool.get(volume_name)
    if not volume then
      problem(want.role .. " " .. volume_name .. " is missing")
    end
  end
  for _, volume in ipairs(pool.list()) do
    local reason = model.stale_reason(change, name, volume)
    if reason then problem(volume.role .. " " .. volume.name .. " does not match: " .. reason) end
  end

  for _, driver in ipairs(server.drivers) do
    if not area.exists(model.driver_path(driver)) then problem("driver " .. driver .. " is not loaded") end
  end
  if area.exists(model.DRIVER_DIR) then
    for _, entry in ipairs(area.list(model.DRIVER_DIR)) do
      local driver = entry:sub(-#model.DRIVER_SUFFIX) == model.DRIVER_SUFFIX and entry:sub(1, -#model.DRIVER_SUFFIX - 1) or nil
      if driver and not model.contains(server.drivers, driver) then problem("driver " .. driver .. " is loaded but not configured") end
    end
  end

  if not model.failover_current(change, name) then problem("the failover context describes another configuration") end
end

local function check_server_leaving(change, name, problems)
  for _, volume in ipairs(volumes.on(name).list()) do
    if model.owned(change, name, volume) then
      problems[#problems + 1] = volume.role .. " " .. volume.name .. " of the group is still on the server"
    end
  end
  for _, path in pairs(model.device_files(name)) do
    problems[#problems + 1] = "device special file " .. path .. " is still on the server"
  end
  if files.on(name).exists(model.FAILOVER_PATH) then
    problems[#problems + 1] = "the failover context is still on the server"
  end
  local record = model.reset_record_path(model.saved_server(change, name).process.service)
  if files.on(name).exists(record) then
    problems[#problems + 1] = "the process reset record " .. record .. " is still on the server"
  end
end

-- The problems of one site server against the change's new configuration, sorted.
function verify.problems(change, name)
  local problems = {}
  local server = model.new_server(change, name)
  if server then
    check_server_in_group(change, name, server, problems)
  elseif model.status(change, name) == "removed" then
    check_server_leaving(change, name, problems)
  end
  table.sort(problems)
  return problems
end

return verify
