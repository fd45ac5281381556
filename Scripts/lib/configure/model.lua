-- Shared knowledge of the configuration-change steps: where things live on a server, which
-- volumes belong to the replication group, and which of them no longer match the new
-- configuration. Every step decides what to do from the state of the world, never from the
-- mode, so a step run again after execution plans nothing.
--
-- A server's files (relative to its root):
--   etc/replication/group.yaml   the copy of the group's configuration (step 2)
--   dev/rLV_<volume>             device special file of a replicated volume (steps 12, 13, 17)
--   drivers/<driver>.loaded      a loaded driver (step 16)
--   failover/context.json        the failover context; names the server's failover tag (18, 19)
--   run/<service>.config         the configuration signature a process was last reset with (14, 15)

local model = {}

model.CONFIG_PATH = "etc/replication/group.yaml"
model.FAILOVER_PATH = "failover/context.json"
model.DEVICE_DIR = "dev"
model.DEVICE_PREFIX = "rLV_"
model.DRIVER_DIR = "drivers"
model.DRIVER_SUFFIX = ".loaded"
model.REPLICATED_TAG = "replicated"
model.LAYOUT_TAG_PREFIX = "cfg="

function model.device_path(volume_name) return model.DEVICE_DIR .. "/" .. model.DEVICE_PREFIX .. volume_name end
function model.driver_path(driver) return model.DRIVER_DIR .. "/" .. driver .. model.DRIVER_SUFFIX end
function model.reset_record_path(service) return "run/" .. service .. ".config" end

-- The pending change, or nil (logged) when there is none: then every step has nothing to do.
function model.pending(ctx)
  if ctx.change == nil then
    phase.log("no configuration change pending (replication/new.yaml matches saved.yaml)")
  end
  return ctx.change
end

-- The server's entry in the new (or saved) configuration, or nil when it is not in it.
function model.new_server(change, name) return change.new.by_name[name] end
function model.saved_server(change, name) return change.saved and change.saved.by_name[name] or nil end

-- The server's diff (status "added" | "removed" | "kept", kinds, ...), or nil for a site
-- server that is in neither configuration.
function model.diff(change, name) return change.servers[name] end

function model.status(change, name)
  local diff = change.servers[name]
  return diff and diff.status or nil
end

-- Whether the server's diff has any of the kinds listed.
function model.server_has(change, name, kinds)
  local diff = change.servers[name]
  if not diff then return false end
  for _, kind in ipairs(kinds) do
    if diff.kinds[kind] then return true end
  end
  return false
end

-- Whether the group-wide kinds include any of the kinds listed.
function model.group_has(change, kinds)
  for _, kind in ipairs(kinds) do
    if change.kinds[kind] then return true end
  end
  return false
end

function model.contains(list, value)
  for _, item in ipairs(list or {}) do
    if item == value then return true end
  end
  return false
end

-- A size as operators read it, in binary units: 25165824 -> "24 MiB", 312 -> "312 bytes".
function model.size_text(bytes)
  if bytes < 1024 then return bytes .. " bytes" end
  local units = { "KiB", "MiB", "GiB", "TiB", "PiB" }
  local value, unit = bytes / 1024, 1
  while value >= 1024 and unit < #units do value, unit = value / 1024, unit + 1 end
  local text = string.format("%.1f", value):gsub("%.0$", "")
  return text .. " " .. units[unit]
end

local function has_tag(volume, tag)
  return model.contains(volume.tags, tag)
end

-- The group's non-data volumes a server should have: name -> { role, size, group, tag }.
-- `tag` is the server's layout tag for volumes that must be rebuilt when the group's servers
-- or the server's data volumes change (containers, snapshots, the internal volume).
function model.expected_containers(server)
  local expected = {}
  local function add(spec, role, tagged)
    if spec then
      expected[spec.name] = { name = spec.name, role = role, size = spec.size, group = spec.group,
        tag = tagged and server.layout_tag or nil }
    end
  end
  add(server.replication_container, "replication_container", true)
  add(server.log_record_container, "log_record_container", true)
  add(server.internal_volume, "internal", true)
  add(server.snapshot_container, "snapshot_container", false)
  for _, snapshot in ipairs(server.snapshots or {}) do add(snapshot, "snapshot", true) end
  return expected
end

-- Data volumes a server should have: name -> spec.
function model.expected_data(server)
  local expected = {}
  for _, volume in ipairs(server and server.volumes or {}) do expected[volume.name] = volume end
  return expected
end

-- Whether a volume on the server belongs to the group: named in either configuration, or a
-- non-data volume carrying a layout tag.
function model.owned(change, name, volume)
  -- Both configurations, one after the other: either may lack the server (a removed server is
  -- only in the saved one, an added one only in the new one), so no list of the two (ipairs
  -- would stop at a leading nil and never look at the saved configuration).
  for _, server in pairs({ new = model.new_server(change, name), saved = model.saved_server(change, name) }) do
    if model.expected_data(server)[volume.name] or model.expected_containers(server)[volume.name] then
      return true
    end
  end
  if volume.role ~= "data" then
    for _, tag in ipairs(volume.tags) do
      if tag:sub(1, #model.LAYOUT_TAG_PREFIX) == model.LAYOUT_TAG_PREFIX then return true end
    end
  end
  return false
end

-- Why a group volume (not a data volume) no longer matches the new configuration, or nil.
function model.stale_reason(change, name, volume)
  if volume.role == "data" or not model.owned(change, name, volume) then return nil end
  local server = model.new_server(change, name)
  if not server then return "the server leaves the group" end
  local want = model.expected_containers(server)[volume.name]
  if not want then return "not in the new configuration" end
  if want.role ~= volume.role then return "role " .. volume.role .. ", configured as " .. want.role end
  if want.size ~= volume.size then return "size " .. model.size_text(volume.size) .. ", configured " .. model.size_text(want.size) end
  if want.group ~= volume.group then return "volume group " .. volume.group .. ", configured " .. want.group end
  if want.tag and not has_tag(volume, want.tag) then return "built for another volume set or server list" end
  return nil
end

-- Deletes the server's stale group volumes whose role is in `roles` (a set); snapshots first,
-- since they live in the snapshot container. Returns how many it deleted.
function model.delete_stale(change, name, roles)
  local pool = volumes.on(name)
  local order = { "snapshot", "snapshot_container", "replication_container", "log_record_container", "internal" }
  local deleted = 0
  for _, role in ipairs(order) do
    if roles[role] then
      for _, volume in ipairs(pool.list{ role = role }) do
        local reason = model.stale_reason(change, name, volume)
        if reason then
          phase.change("delete " .. role .. " " .. volume.name .. " on " .. name .. ": " .. reason, function()
            pool.delete(volume.name)
          end)
          deleted = deleted + 1
        end
      end
    end
  end
  return deleted
end

-- Whether the server's failover context is missing or describes the new configuration: it
-- names the server's failover tag (fo=..., a digest of the group, its servers and this
-- server's volumes, containers, snapshots and process).
function model.failover_current(change, name)
  local area = files.on(name)
  if not area.exists(model.FAILOVER_PATH) then return true end
  local server = model.new_server(change, name)
  if not server then return false end
  return area.read(model.FAILOVER_PATH):find(server.failover_tag, 1, true) ~= nil
end

-- Deletes a failover context that does not describe the new configuration.
function model.delete_stale_failover(change, name)
  if model.failover_current(change, name) then
    phase.log(name .. ": failover context is current or absent")
    return
  end
  phase.change("delete the failover context on " .. name .. " (it describes another configuration)", function()
    files.on(name).remove(model.FAILOVER_PATH)
  end)
end

-- Device special files present on the server: volume name -> path.
function model.device_files(name)
  local area = files.on(name)
  local found = {}
  if area.exists(model.DEVICE_DIR) then
    for _, entry in ipairs(area.list(model.DEVICE_DIR)) do
      if entry:sub(1, #model.DEVICE_PREFIX) == model.DEVICE_PREFIX then
        found[entry:sub(#model.DEVICE_PREFIX + 1)] = model.DEVICE_DIR .. "/" .. entry
      end
    end
  end
  return found
end

-- Sets one data volume as replicated: the tag and its device special file.
function model.set_replicated(name, volume, group)
  local pool, area = volumes.on(name), files.on(name)
  local current = pool.get(volume.name)
  if not current then
    phase.issue{ summary = name .. ": volume " .. volume.name .. " does not exist, cannot set it as replicated",
      detail = "step 11 creates it; run the initialization again", resolution = "manual" }
    return
  end
  if not has_tag(current, model.REPLICATED_TAG) then
    phase.change("set " .. volume.name .. " on " .. name .. " as requiring replication", function()
      pool.tag(volume.name, model.REPLICATED_TAG)
    end)
  end
  local device = model.device_path(volume.name)
  if not area.exists(device) then
    phase.change("create device special file " .. device .. " on " .. name, function()
      area.write(device, "replicated logical volume " .. volume.name .. " of group " .. group .. "\n")
    end)
  end
end

--- The `applies` of steps 14 and 15: a server's process is reset after anything that changes
--- what it captures or applies, or where it sends it (any change of its own, or of the group's
--- servers, name or volumes).
function model.process_reset_applies(change, ctx)
  local diff = change.servers[ctx.server]
  if diff == nil or diff.status == "removed" then return false end
  return next(diff.kinds) ~= nil
    or model.group_has(change, { "server_added", "server_removed", "group_renamed", "volume_added", "volume_removed", "volume_resized" })
end

--- Restarts the row's send (LCA) or apply (ABA) process so it reads the new configuration, and
--- records the configuration signature in run/<service>.config; a process already reset for this
--- configuration is left alone, so steps 14 and 15 are safe to run again.
function model.reset_process(ctx, what)
  local change = model.pending(ctx)
  if not change then return end
  local service = change.new.by_name[ctx.server].process.service
  local record = model.reset_record_path(service)
  if files.exists(record) and files.read(record) == change.new.signature .. "\n" then
    phase.log(service .. " on " .. ctx.server .. " already runs with configuration " .. change.new.signature)
    return
  end
  phase.change("reset " .. what .. " " .. service .. " on " .. ctx.server .. " (" .. services.status(service) .. ") for configuration "
    .. change.new.signature, function()
    services.restart(service)
    files.write(record, change.new.signature .. "\n")
  end)
end

model.has_tag = has_tag
return model
