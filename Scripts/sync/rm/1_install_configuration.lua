-- RM phase 1: install the post-backup RM configuration changes from an up-to-date export.
--
-- The restored database holds the recovery management (RM) configuration of backup time. The RM
-- server kept changing after that: logical servers were created, moved or deleted, recovery
-- groups were created, changed or deleted. An export taken after the restore (parameters.sync.
-- rm_export, default exports/rm-config.json; format in docs/sync.md) is the truth: the step
-- makes the database's logical servers, recovery groups and group members equal to it.
-- Protected logical servers deleted after the backup are taken out of their recovery groups
-- (and the groups' updated_at moves to the export's time, so RM rebuilds their failover context).
--
-- The export must be newer than the backup, and consistent (every member a known logical
-- server); otherwise nothing is installed and an operator must take a new export.
--
-- Site customization: the table and column names are those of the sample site
-- (docs/sample-site.md); the export's field names are read in read_export below.

local common = require("sync.common")

-- Reads and checks the export; returns { servers = {id → server}, groups = {group...}, exported_at }
-- or nil and why it cannot be used.
local function read_export(path, backup_time)
  local export, err = common.read_json(path)
  if export == nil then return nil, err end
  if export.format ~= "rm-config-export" or export.version ~= 1 then
    return nil, path .. ": not an rm-config-export version 1 file"
  end
  if type(export.exported_at) ~= "string" or export.exported_at <= backup_time then
    return nil, path .. " was exported at " .. tostring(export.exported_at)
      .. ", not after the backup of " .. backup_time .. "; take a new export on the RM server"
  end
  local servers = {}
  for index, server in ipairs(export.logical_servers or {}) do
    if type(server.id) ~= "string" or type(server.name) ~= "string" or type(server.host) ~= "string" then
      return nil, string.format("%s: logical_servers[%d] needs string id, name and host", path, index)
    end
    servers[server.id] = server
  end
  for index, group in ipairs(export.recovery_groups or {}) do
    for _, field in ipairs({ "id", "name", "recovery_site", "failover_policy" }) do
      if type(group[field]) ~= "string" then
        return nil, string.format("%s: recovery_groups[%d] has no string '%s'", path, index, field)
      end
    end
    group.member_priority = {}
    for _, member in ipairs(group.members or {}) do
      if servers[member.logical_server] == nil then
        return nil, string.format("%s: group %s protects %s, which is not among its logical_servers",
          path, group.id, tostring(member.logical_server))
      end
      if math.type(member.priority) ~= "integer" then
        return nil, string.format("%s: group %s: member %s needs an integer priority", path, group.id, member.logical_server)
      end
      group.member_priority[member.logical_server] = member.priority
    end
  end
  return { servers = servers, groups = export.recovery_groups or {}, exported_at = export.exported_at }
end

-- The database's configuration: servers by id, groups by id, members by group id.
local function read_database()
  local servers, groups, members = {}, {}, {}
  for _, row in ipairs(db.query("SELECT id, name, host FROM rm_logical_servers")) do servers[row.id] = row end
  for _, row in ipairs(db.query("SELECT id, name, recovery_site, failover_policy FROM rm_recovery_groups")) do
    groups[row.id] = row
    members[row.id] = {}
  end
  for _, row in ipairs(db.query("SELECT group_id, logical_server_id, priority FROM rm_group_members")) do
    members[row.group_id] = members[row.group_id] or {}
    members[row.group_id][row.logical_server_id] = row.priority
  end
  return servers, groups, members
end

-- Sorted keys of a table.
local function sorted_keys(map)
  local keys = {}
  for key in pairs(map) do keys[#keys + 1] = key end
  table.sort(keys)
  return keys
end

-- Installs the logical servers created or changed after the backup.
local function install_servers(export, servers)
  for _, id in ipairs(sorted_keys(export.servers)) do
    local wanted, have = export.servers[id], servers[id]
    if have == nil then
      phase.issue{ summary = "logical server " .. id .. " (" .. wanted.name .. ") was created after the backup",
        detail = "the synchronization adds it, on host " .. wanted.host, resolution = "planned" }
      phase.change("add logical server " .. id .. " (" .. wanted.name .. ") on host " .. wanted.host, function()
        db.exec("INSERT INTO rm_logical_servers (id, name, host) VALUES (?, ?, ?)", id, wanted.name, wanted.host)
      end)
    elseif have.name ~= wanted.name or have.host ~= wanted.host then
      phase.issue{ summary = "logical server " .. id .. " changed after the backup",
        detail = string.format("%s on %s becomes %s on %s", have.name, have.host, wanted.name, wanted.host),
        resolution = "planned" }
      phase.change(string.format("change logical server %s: %s on %s becomes %s on %s", id, have.name, have.host, wanted.name, wanted.host), function()
        db.exec("UPDATE rm_logical_servers SET name = ?, host = ? WHERE id = ?", wanted.name, wanted.host, id)
      end)
    end
  end
end

-- Makes one recovery group and its members equal to the export; returns nothing.
local function install_group(group, have, have_members, export, servers)
  local notes = {}
  local label = "recovery group " .. group.id .. " (" .. group.name .. ")"
  if have == nil then
    phase.change("add " .. label .. ", recovering at " .. group.recovery_site, function()
      db.exec("INSERT INTO rm_recovery_groups (id, name, recovery_site, failover_policy, updated_at) VALUES (?, ?, ?, ?, ?)",
        group.id, group.name, group.recovery_site, group.failover_policy, export.exported_at)
    end)
  end
  have_members = have_members or {}
  -- Members to take out: deleted logical servers, or servers no longer protected by this group.
  for _, id in ipairs(sorted_keys(have_members)) do
    if group.member_priority[id] == nil then
      local server = servers[id]
      local name = server and server.name or id
      if export.servers[id] == nil then
        phase.issue{ summary = "protected logical server " .. id .. " (" .. name .. ") was deleted after the backup",
          detail = "the synchronization removes it from recovery group " .. group.id .. " (" .. group.name .. ")",
          resolution = "planned" }
      end
      notes[#notes + 1] = "remove " .. id
      phase.change("take logical server " .. id .. " (" .. name .. ") out of " .. label, function()
        db.exec("DELETE FROM rm_group_members WHERE group_id = ? AND logical_server_id = ?", group.id, id)
      end)
    end
  end
  for _, id in ipairs(sorted_keys(group.member_priority)) do
    local priority = group.member_priority[id]
    if have_members[id] == nil then
      notes[#notes + 1] = "add " .. id .. " (priority " .. priority .. ")"
      phase.change("add logical server " .. id .. " to " .. label .. " at priority " .. priority, function()
        db.exec("INSERT INTO rm_group_members (group_id, logical_server_id, priority) VALUES (?, ?, ?)", group.id, id, priority)
      end)
    elseif have_members[id] ~= priority then
      notes[#notes + 1] = string.format("priority of %s %d → %d", id, have_members[id], priority)
      phase.change(string.format("set the priority of logical server %s in %s: %d → %d", id, label, have_members[id], priority), function()
        db.exec("UPDATE rm_group_members SET priority = ? WHERE group_id = ? AND logical_server_id = ?", priority, group.id, id)
      end)
    end
  end
  if have ~= nil then
    for _, field in ipairs({ "name", "recovery_site", "failover_policy" }) do
      if have[field] ~= group[field] then
        notes[#notes + 1] = string.format("%s %s → %s", field, have[field], group[field])
      end
    end
    if #notes > 0 then
      phase.change("update " .. label .. " as exported at " .. export.exported_at, function()
        db.exec("UPDATE rm_recovery_groups SET name = ?, recovery_site = ?, failover_policy = ?, updated_at = ? WHERE id = ?",
          group.name, group.recovery_site, group.failover_policy, export.exported_at, group.id)
      end)
    end
  end
  if #notes > 0 or have == nil then
    if #notes == 0 then notes[1] = "no members" end
    local what = have == nil and "was created after the backup" or "changed after the backup"
    phase.issue{ summary = "recovery group " .. group.id .. " (" .. group.name .. ") " .. what,
      detail = table.concat(notes, "; "), resolution = "planned" }
  end
end

return {
  title = "Install the post-backup RM configuration",
  section = "rm",
  order = 1,
  description = "Makes the RM logical servers, recovery groups and group members in the database equal "
    .. "to an up-to-date RM configuration export (parameters.sync.rm_export): installs the changes made "
    .. "after the backup and takes protected logical servers deleted after the backup out of their "
    .. "recovery groups. An export older than the backup or inconsistent is refused.",
  needs = { "db", "files" },
  run = function(ctx)
    local backup_time = common.backup_time(ctx.params)
    local path = ctx.params.rm_export or "exports/rm-config.json"
    local export, err = read_export(path, backup_time)
    if export == nil then
      phase.issue{ summary = "cannot use the RM configuration export: " .. err,
        detail = "Export the RM configuration on the RM server (after the restore) to " .. path .. " and run again.",
        resolution = "manual" }
      return
    end

    local servers, groups, members = read_database()
    install_servers(export, servers)

    local in_export = {}
    for _, group in ipairs(export.groups) do
      in_export[group.id] = true
      install_group(group, groups[group.id], members[group.id], export, servers)
    end

    -- Groups deleted after the backup: their members go with them (the logical servers stay).
    for _, id in ipairs(sorted_keys(groups)) do
      if not in_export[id] then
        phase.issue{ summary = "recovery group " .. id .. " (" .. groups[id].name .. ") was deleted after the backup",
          detail = "the synchronization removes it with its " .. #sorted_keys(members[id]) .. " member(s); the logical servers stay",
          resolution = "planned" }
        phase.change("remove recovery group " .. id .. " (" .. groups[id].name .. ") and its members", function()
          db.exec("DELETE FROM rm_group_members WHERE group_id = ?", id)
          db.exec("DELETE FROM rm_recovery_groups WHERE id = ?", id)
        end)
      end
    end

    -- Logical servers deleted after the backup: by now no group of the export protects them.
    local deleted = {}
    for _, id in ipairs(sorted_keys(servers)) do
      if export.servers[id] == nil then
        deleted[#deleted + 1] = id
        phase.change("remove logical server " .. id .. " (" .. servers[id].name .. "), deleted after the backup", function()
          -- Memberships left only when the database had a member of a group it does not define.
          if db.value("SELECT count(*) FROM rm_group_members WHERE logical_server_id = ?", id) > 0 then
            db.exec("DELETE FROM rm_group_members WHERE logical_server_id = ?", id)
          end
          db.exec("DELETE FROM rm_logical_servers WHERE id = ?", id)
        end)
      end
    end
    phase.log(string.format("export of %s: %d logical server(s), %d recovery group(s); %d logical server(s) deleted after the backup%s",
      export.exported_at, #sorted_keys(export.servers), #export.groups, #deleted,
      #deleted > 0 and (": " .. table.concat(deleted, ", ")) or ""))
  end,
}
