-- Configuration-change initialization of a replication group (phasekit run configure).
-- The operator edits replication/new.yaml in the production server's root; analysis compares
-- it with replication/saved.yaml and chooses the steps below from what changed; execution
-- applies them step by step and, at the end, makes new.yaml the saved configuration.
return {
  title = "Configuration-change initialization",
  description = "Initializes a changed replication group configuration: copies it to every server, "
    .. "rebuilds the containers and snapshots it invalidates, sets the volumes as replicated, resets the "
    .. "send and apply processes, loads drivers, removes stale device files and failover contexts, "
    .. "verifies every server and saves the configuration.",
  sections = { "configure" },
  -- As the product does: execution asks once for the whole plan, then runs every step; once
  -- started it cannot be stopped (SIGINT, SIGTERM and SIGHUP are deferred until it ends).
  confirm = "once",
  interruptible = false,
  -- Per-server steps run on the group's servers; the site's management server is passed over.
  roles = { "production", "recovery" },
  -- ctx.change: the replication group's pending edit (replication/new.yaml against saved.yaml), see docs/configure.md.
  change = "replication",
}
