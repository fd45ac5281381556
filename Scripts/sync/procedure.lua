-- The post-restore synchronization procedure (`phasekit run sync`), after HP Insight Management's
-- mxsync: reconcile a management server's database, restored from a backup, with the world as it
-- is now. Sections run in order, phases in order within a section; in execution every issue of a
-- phase must be resolved before the next phase runs. See docs/sync.md.
return {
  title = "Post-restore synchronization",
  description = "After the management server is restored from a backup, reconciles its database with "
    .. "the world section by section: initialization checks the management services (required ones "
    .. "running, the others stopped); IO terminates requests that may already have run, removes the "
    .. "services deleted after the backup and marks allocated the addresses allocated after it; RM "
    .. "installs the post-backup recovery configuration from an up-to-date export. Analysis (the "
    .. "default) previews each phase; execution applies it.",
  sections = { "init", "io", "rm" },
}
