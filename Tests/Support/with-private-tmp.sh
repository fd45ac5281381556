#!/usr/bin/env bash
# Runs CMD... with TMPDIR set to a fresh directory, then fails if CMD left anything in it.
#
#   bash Tests/Support/with-private-tmp.sh swift test
#
# Tests remove the temporary files they create; this is the check (`make test` runs the suite in it).
# What the toolchain itself keeps there (SwiftPM's `*.lock` files, the driver's `TemporaryDirectory.*`,
# the compiler's `swift-generated-sources`)
# is not counted. The directory is removed on every exit path. CMD's own failure status wins.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 CMD [ARGS...]" >&2
    exit 2
fi

private=$(mktemp -d /tmp/phasekit-tmp.XXXXXX)
trap 'rm -rf "$private"' EXIT
# Tests that run phasekit as another user (a read-only site, as nobody) must reach their sites here.
chmod 755 "$private"
set +e
TMPDIR=$private "$@"
status=$?
set -e
toolchain=(-not -name 'TemporaryDirectory.*' -not -name '*.lock' -not -name 'swift-generated-sources')
leftovers=$(find "$private" -mindepth 1 -maxdepth 1 "${toolchain[@]}" | wc -l)
if [ "$leftovers" -gt 0 ]; then
    echo "with-private-tmp: the run left $leftovers entries in its temporary directory (tests remove what they create):" >&2
    find "$private" -mindepth 1 -maxdepth 1 "${toolchain[@]}" -printf '  %f\n' | sort | head -n 20 >&2
    [ "$status" -ne 0 ] || status=1
fi
exit "$status"
