-- Initialization of the post-restore synchronization: the management services.
--
-- mxsync checks the management suite's own services before any phase. Some must run for the
-- analysis and the changes (the database, the directory); the others should be stopped so that
-- nothing changes underneath the synchronization. On an HA server they are cluster resources and
-- the services backend (pacemaker) starts and stops them through the cluster manager.
--
--   analysis only   changes no service. A required service that is down stops the run
--                   (exit code 3) naming it; a running non-required service is a warning,
--                   since in-progress operations may make the analysis report issues that do
--                   not exist.
--   execution       plans starting the required services and stopping the others; after the
--                   operator confirms (or --yes), they are applied like any phase.

return {
  title = "Check the management services",
  section = "init",
  order = 0,
  description = "Checks that the services the synchronization needs are running and the others are stopped; "
    .. "execution starts the required ones and stops the rest after confirmation.",
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

    if ctx.intent == "execute" then
      -- The plan of an execution: bring the services to the state the phases need.
      for _, service in ipairs(down) do
        phase.log("start required service " .. service.name .. " (" .. service.state .. ")")
        services.start(service.name)
      end
      for _, service in ipairs(busy) do
        phase.log("stop non-required service " .. service.name)
        services.stop(service.name)
      end
      return
    end

    if #busy > 0 then
      local names = {}
      for _, service in ipairs(busy) do names[#names + 1] = service.name end
      phase.warn("non-required services are running (" .. table.concat(names, ", ") .. "): "
        .. "operations in progress may make the analysis report issues that do not exist; "
        .. "if issues are found, stop them (phasekit run sync --execute does) and analyze again")
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
