-- Shared helpers of the post-restore synchronization steps (require("sync.common")).
--
-- Timestamps are ISO-8601 UTC strings ("2026-03-14T02:00:00Z"): they compare correctly as
-- strings, which is how the steps and their SQL compare them.

local json = require("sync.json")

local common = {}

local timestamp_pattern = "^%d%d%d%d%-%d%d%-%d%dT%d%d:%d%d:%d%dZ$"

-- The backup's timestamp, from the restored database's backup_info table.
-- When the site states one too (parameters.sync.backup_time), they must agree: otherwise the
-- database is not the backup the operator thinks it is, and nothing may be synchronized.
function common.backup_time(params)
  local taken_at = db.value("SELECT taken_at FROM backup_info WHERE id = 1")
  if type(taken_at) ~= "string" or not taken_at:match(timestamp_pattern) then
    phase.precondition{
      summary = "the restored database has no usable backup_info row",
      detail = "backup_info.taken_at is " .. tostring(taken_at) .. "; the synchronization needs the backup's time",
    }
  end
  if params.backup_time ~= nil and params.backup_time ~= taken_at then
    phase.precondition{
      summary = "the database was restored from the backup of " .. taken_at .. ", not " .. tostring(params.backup_time),
      detail = "site.yaml parameters.sync.backup_time names another backup; restore the right one or fix the parameter",
    }
  end
  return taken_at
end

-- When the server was restored (parameters.sync.restored_at). Anything scheduled up to this
-- moment may have run against the old server. There is no default: guessing "now" would
-- terminate requests that were due after the restore and never ran.
function common.restored_at(params, backup_time)
  local restored_at = params.restored_at
  if type(restored_at) ~= "string" or not restored_at:match(timestamp_pattern) then
    phase.precondition{
      summary = "parameters.sync.restored_at must state when this server was restored, like 2026-03-16T09:30:00Z",
      detail = "got " .. tostring(restored_at) .. "; set it in site.yaml under parameters: sync: (see docs/sync.md)",
    }
  end
  if restored_at <= backup_time then
    phase.precondition{ summary = "the restore (" .. restored_at .. ") is not after the backup (" .. backup_time .. ")" }
  end
  return restored_at
end

-- The path of a file of the live inventory (parameters.sync.inventory, default "inventory").
function common.inventory_file(params, name)
  return (params.inventory or "inventory") .. "/" .. name
end

-- Reads and decodes a JSON file below the site; returns the value, or nil and why not.
function common.read_json(path)
  if not files.exists(path) then return nil, path .. " does not exist" end
  local value, err = json.try_decode(files.read(path))
  if value == nil then return nil, path .. ": " .. err end
  if type(value) ~= "table" then return nil, path .. ": expected a JSON object" end
  return value
end

-- Joins up to `limit` items of a list for an issue's detail, with "and N more".
function common.sample(items, limit)
  limit = limit or 10
  local shown = {}
  for i = 1, math.min(limit, #items) do shown[i] = tostring(items[i]) end
  local text = table.concat(shown, ", ")
  if #items > limit then text = text .. string.format(" and %d more", #items - limit) end
  return text
end

return common
