-- Initialization of the post-restore synchronization: the management services.
--
-- mxsync checks the management suite's own services before any phase. Some must run for the
-- analysis and the changes (the database, the directory); the others should be stopped so that
-- nothing changes underneath the synchronization. On an HA server they are cluster resources and
-- the services backend (pacemaker) starts and stops them through the cluster manager.
--
--   analysis      plans stopping the running non-required services (in progress operations could
--                 change the database underneath the synchronization, and make the analysis report
--                 issues that do not exist): the stops are this step's planned changes, applied
--                 when an execution is confirmed. A required service that is down stops the run
--                 (exit code 3) naming it: nothing can be analyzed without it.
--   execution     plans starting the required services too; after the operator confirms (or
--                 --yes), the starts and stops are applied like any phase.

return {
  title = "Check the management services",
  section = "init",
  order = 0,
  description = "Checks that the services the synchronization needs are running and plans stopping the others; "
    .. "execution also starts the required ones, and applies both after confirmation.",
  needs = { "services" },

  run = function(ctx)
    local down, busy = {}, {}
    for _, service in ipairs(services.list()) do
      if service.required and service.state ~= "running" then
        down[#down + 1] = service
      elseif not service.required and service.state == "running" then
        busy[#busy + 1] = service
      end
    end

    -- The stops are planned in every run, so the analysis shows them as this step's changes.
    for _, service in ipairs(busy) do
      phase.change("stop service " .. service.name .. " on " .. ctx.server
        .. " (not required: nothing may change underneath the synchronization)", function()
        services.stop(service.name)
      end)
    end

    if ctx.intent == "execute" then
      -- The plan of an execution: bring the required services up as well.
      for _, service in ipairs(down) do
        phase.change("start required service " .. service.name .. " on " .. ctx.server
          .. " (found " .. service.state .. ")", function()
          services.start(service.name)
        end)
      end
      return
    end

    if #down > 0 then
      local names = {}
      for _, service in ipairs(down) do names[#names + 1] = service.name .. " (" .. service.state .. ")" end
      phase.precondition{
        summary = "required services are not running: " .. table.concat(names, ", "),
        detail = "Start them before analyzing: phasekit run sync --execute starts them after asking, "
          .. "or start them with the site's service manager.",
      }
    end
  end,
}
