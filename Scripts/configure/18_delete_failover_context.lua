-- Step 18: Delete failover context on S — one row per server.
-- When servers join or leave the group (or it is renamed), every server's failover context
-- names the old servers: a context that does not name the server's new failover tag is
-- deleted (on a server leaving the group, any context). The product rebuilds it.

local model = require("configure.model")

return {
  title = "Delete failover context on {server}",
  section = "configure",
  order = 18,
  description = "When the group's servers change, deletes every failover context that describes the old group.",
  needs = { "files" },
  scope = "each",

  applies = function(change, ctx)
    return change.servers[ctx.server] ~= nil and model.group_has(change, { "server_added", "server_removed", "group_renamed" })
  end,

  run = function(ctx)
    local change = model.pending(ctx)
    if not change then return end
    model.delete_stale_failover(change, ctx.server)
  end,
}
