#!/usr/bin/env bash
# Proves that Tests/Support/with-pacemaker.sh takes over the cluster the packages start by themselves,
# and only that one (run by .ci/run and `make check-packaged-cluster`):
#
#  1. starts corosync and pacemakerd the way the packages do — their /etc/init.d scripts (redirected to
#     systemctl where systemd runs), on Debian's stock /etc/corosync/corosync.conf — then brings the test
#     cluster up through with-pacemaker.sh, whose command checks that the packaged daemons are gone, that
#     the only corosync is the harness's and that the test resources are there;
#  2. starts corosync by hand on a copy of the same configuration kept elsewhere, as an operator's cluster
#     would be, and checks that with-pacemaker.sh refuses to run and leaves that corosync running.
#
# Leaves no corosync or Pacemaker process behind (checked at the end). Must run as root. Refuses when a
# cluster is already running; skipped (exit 0, with a message) when /etc/corosync/corosync.conf is not
# the package's own, since the takeover then never happens.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PATH:/usr/sbin:/sbin"

log() { echo "check-packaged-cluster: $*" >&2; }
fail() { log "FAILED: $*"; exit 1; }
cluster_pids() { pidof corosync pacemakerd pacemaker-based pacemaker-controld pacemaker-execd pacemaker-attrd \
    pacemaker-fenced pacemaker-schedulerd 2>/dev/null || true; }

if [ "$(id -u)" -ne 0 ]; then
    log "must run as root: it starts corosync and pacemakerd"
    exit 2
fi
bash Tests/Support/install-deps.sh test
stock_conf=/etc/corosync/corosync.conf
recorded=$(dpkg-query -W -f='${Conffiles}\n' corosync | awk -v file="$stock_conf" '$1 == file { print $2 }')
if [ ! -f "$stock_conf" ] || [ "$(md5sum <"$stock_conf" | cut -d' ' -f1)" != "$recorded" ]; then
    log "skipped: $stock_conf is not the package's own, so there is no packaged cluster to take over"
    exit 0
fi
if [ -n "$(cluster_pids)" ]; then
    log "a corosync or Pacemaker process is already running; not running the check"
    exit 1
fi

work=$(mktemp -d /tmp/phasekit-packaged-cluster.XXXXXX)
operator_pid=""
cleanup() {
    local status=$?
    if [ -n "$operator_pid" ]; then kill -TERM "$operator_pid" 2>/dev/null || true; wait "$operator_pid" 2>/dev/null || true; fi
    if pidof pacemakerd >/dev/null; then /etc/init.d/pacemaker stop >/dev/null 2>&1 || true; fi
    if pidof corosync >/dev/null; then /etc/init.d/corosync stop >/dev/null 2>&1 || true; fi
    rm -rf "$work"
    if [ -n "$(cluster_pids)" ]; then
        log "FAILED: cluster processes left running: $(cluster_pids)"
        status=1
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "1. starting the packaged cluster: /etc/init.d/corosync start, /etc/init.d/pacemaker start"
/etc/init.d/corosync start >"$work/init.out" 2>&1 || { cat "$work/init.out" >&2; fail "corosync's init script failed"; }
/etc/init.d/pacemaker start >>"$work/init.out" 2>&1 || { cat "$work/init.out" >&2; fail "pacemaker's init script failed"; }
packaged=$(pidof corosync pacemakerd || true)
[ "$(wc -w <<<"$packaged")" -eq 2 ] || fail "expected one corosync and one pacemakerd, found: ${packaged:-none}"
log "packaged daemons running: $packaged"

# Runs inside with-pacemaker.sh: the packaged daemons are gone and the cluster is the harness's.
cat >"$work/inside.sh" <<'INSIDE'
set -euo pipefail
for pid in "$@"; do
    if kill -0 "$pid" 2>/dev/null; then echo "packaged daemon $pid still runs" >&2; exit 1; fi
done
corosync=$(pidof corosync)
[ "$(wc -w <<<"$corosync")" -eq 1 ] || { echo "expected one corosync, found: $corosync" >&2; exit 1; }
tr '\0' ' ' <"/proc/$corosync/cmdline" | grep -q -- "-c /tmp/phasekit-pacemaker\." \
    || { echo "the running corosync is not the harness's: $(tr '\0' ' ' <"/proc/$corosync/cmdline")" >&2; exit 1; }
timeout 10 crmadmin --dc_lookup | grep -q "Designated Controller is: $(uname -n)" || { echo "this node is not the DC" >&2; exit 1; }
crm_resource --list | grep -q phasekit-dummy-a || { echo "no phasekit-dummy-a" >&2; exit 1; }
echo "test cluster up in place of the packaged one"
INSIDE
# shellcheck disable=SC2086 # one argument per pid
bash Tests/Support/with-pacemaker.sh bash "$work/inside.sh" $packaged || fail "with-pacemaker.sh did not take over the packaged cluster"
[ -z "$(cluster_pids)" ] || fail "cluster processes left after with-pacemaker.sh: $(cluster_pids)"

log "2. starting corosync on a copy of $stock_conf kept elsewhere, as an operator's cluster"
cp "$stock_conf" "$work/corosync.conf"
corosync -f -c "$work/corosync.conf" >"$work/operator.out" 2>&1 &
operator_pid=$!
for _ in $(seq 100); do
    pidof corosync >/dev/null && break
    kill -0 "$operator_pid" 2>/dev/null || { cat "$work/operator.out" >&2; fail "corosync did not start"; }
    sleep 0.1
done
if bash Tests/Support/with-pacemaker.sh true 2>"$work/refusal.out"; then
    fail "with-pacemaker.sh ran beside a cluster it does not own"
fi
cat "$work/refusal.out" >&2
grep -q "refusing to touch it" "$work/refusal.out" || fail "with-pacemaker.sh failed for another reason"
kill -0 "$operator_pid" 2>/dev/null || fail "with-pacemaker.sh stopped a cluster it does not own"
log "passed: the packaged cluster was taken over, the other one left alone"
