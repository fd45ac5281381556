-- IO phase 1: terminate requests that may already have run.
--
-- A request that was in progress when the backup was taken, or that was due to run between the
-- backup and the restore, may well have completed on the old server. If the orchestrator found it
-- queued, scheduled or in progress after the restore, it would start it again and provision,
-- remove or power-cycle servers a second time. So each such request is marked 'terminated', with
-- the reason in state_reason. It is never re-run and never cancelled (cancelling runs the
-- request's rollback, which has side effects too). Requests scheduled after the restore have not
-- run: they are left alone.
--
-- Site customization: the request table and its states are the ones of the sample site
-- (docs/sample-site.md); adapt the two queries below if your IO schema differs.

local common = require("sync.common")

-- Why a request is stale, for the report and for state_reason.
local function reason_for(request, backup_time)
  if request.state == "in_progress" then
    return "in progress when the backup of " .. backup_time .. " was taken"
  elseif request.scheduled_at == nil or request.scheduled_at <= backup_time then
    return "queued when the backup of " .. backup_time .. " was taken"
  end
  return "scheduled for " .. request.scheduled_at .. ", after the backup of " .. backup_time .. " and before the restore"
end

return {
  title = "Terminate stale requests",
  section = "io",
  order = 1,
  description = "Marks as terminated every IO request that was in progress when the backup was taken "
    .. "or was due to run between the backup and the restore, so the orchestrator does not restart "
    .. "a request that may already have completed. Requests are never re-run or cancelled; the "
    .. "reason is kept in io_requests.state_reason. Requests scheduled after the restore are left alone.",
  needs = { "db" },
  run = function(ctx)
    local backup_time = common.backup_time(ctx.params)
    local restored_at = common.restored_at(ctx.params, backup_time)

    -- In progress at backup time, or queued/scheduled to start no later than the restore.
    -- A scheduled request without a time starts as soon as it can: it counts as due.
    local stale = db.query([[
      SELECT id, service_id, kind, state, scheduled_at, started_at
        FROM io_requests
       WHERE state = 'in_progress'
          OR (state IN ('queued', 'scheduled') AND (scheduled_at IS NULL OR scheduled_at <= ?))
       ORDER BY id]], restored_at)

    for _, request in ipairs(stale) do
      local reason = reason_for(request, backup_time)
      phase.issue{
        summary = string.format("request %d (%s of %s) is %s but may already have run",
          request.id, request.kind, request.service_id, request.state),
        detail = reason .. "; the synchronization marks it terminated, never re-runs it. Check the service's servers "
          .. "if the request's outcome matters.",
        resolution = "planned",
      }
      -- The state in the WHERE clause makes a re-run harmless: a request already terminated, or
      -- changed by someone else meanwhile, is not touched.
      phase.change(string.format("mark request %d (%s of %s) terminated, not re-run: %s",
          request.id, request.kind, request.service_id, reason), function()
        db.exec([[
          UPDATE io_requests
             SET state = 'terminated',
                 state_reason = ?
           WHERE id = ? AND state = ?]],
          "terminated by post-restore synchronization: " .. reason, request.id, request.state)
      end)
    end

    local later = db.value(
      "SELECT count(*) FROM io_requests WHERE state IN ('queued', 'scheduled') AND scheduled_at > ?", restored_at)
    phase.log(string.format("%d stale request(s) marked terminated; %d request(s) scheduled after the restore (%s) left alone",
      #stale, later, restored_at))
  end,
}
