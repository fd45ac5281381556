#!/usr/bin/env bash
# Runs CMD... against a real single-node Pacemaker cluster on 127.0.0.1, then stops the cluster.
#
#   bash Tests/Support/with-pacemaker.sh swift test --filter ServicesTests
#
# Installs pacemaker, its CLI tools, corosync and resource-agents when missing (needs root), writes a
# corosync.conf into a temporary directory (knet transport, no crypto, one node), starts `corosync -f`
# and `pacemakerd` in the background, waits (at most 90 s) until the node is the DC, disables
# STONITH and quorum loss handling, creates two stopped ocf:pacemaker:Dummy resources
# (phasekit-dummy-a, phasekit-dummy-b), exports PHASEKIT_TEST_PACEMAKER=1 and runs CMD. Pacemaker
# and corosync are stopped on every exit path.
#
# It refuses to run beside an already running cluster, with one exception: the cluster the packages
# start by themselves right after they are installed (systemd starts corosync.service and
# pacemaker.service). That one is recognized by Debian's stock /etc/corosync/corosync.conf, untouched
# (its checksum is the one dpkg recorded), every running corosync using it, and a CIB holding no
# resource but this script's own; it is stopped (and, under systemd, disabled) before the test cluster
# starts, and stays stopped. A cluster an operator configured never matches and is never touched.
# Tests/Support/check-packaged-cluster.sh proves the takeover.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 CMD [ARGS...]" >&2
    exit 2
fi

log() { echo "with-pacemaker: $*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
    log "must run as root: corosync and pacemakerd run as root"
    exit 2
fi
export PATH="$PATH:/usr/sbin:/sbin"
if ! command -v pacemakerd >/dev/null || ! command -v crm_mon >/dev/null || ! command -v corosync >/dev/null \
    || [ ! -x /usr/lib/ocf/resource.d/pacemaker/Dummy ]; then
    log "installing pacemaker, pacemaker-cli-utils, corosync, resource-agents"
    bash "$(dirname "$0")/install-deps.sh" test
fi

stock_conf=/etc/corosync/corosync.conf
stock_cib=/var/lib/pacemaker/cib/cib.xml

# Succeeds when the running cluster is the one the packages started by themselves (see the header).
packaged_cluster() {
    local recorded pid i resources
    local -a args
    recorded=$(dpkg-query -W -f='${Conffiles}\n' corosync 2>/dev/null | awk -v file="$stock_conf" '$1 == file { print $2 }')
    [ -n "$recorded" ] && [ -f "$stock_conf" ] || return 1
    [ "$(md5sum <"$stock_conf" | cut -d' ' -f1)" = "$recorded" ] || return 1
    pidof corosync >/dev/null || return 1
    for pid in $(pidof corosync); do
        mapfile -d '' args <"/proc/$pid/cmdline" || return 1
        for ((i = 1; i < ${#args[@]}; i++)); do
            case "${args[i]}" in
                -c) [ "${args[i + 1]:-}" = "$stock_conf" ] || return 1 ;;
                -c*) [ "${args[i]#-c}" = "$stock_conf" ] || return 1 ;;
            esac
        done
    done
    if [ -f "$stock_cib" ]; then
        resources=$(grep -o '<\(primitive\|group\|clone\|master\|bundle\|template\)[^>]* id="[^"]*"' "$stock_cib" \
            | sed 's/.* id="\([^"]*\)"$/\1/' | grep -v -x -e phasekit-dummy-a -e phasekit-dummy-b || true)
        [ -z "$resources" ] || return 1
    fi
}

# Stops the packaged cluster: through systemd where it runs, else as the init scripts do (SIGTERM).
stop_packaged_cluster() {
    local pid
    log "stopping the cluster the packages started (stock $stock_conf, no resources of its own); it stays stopped"
    if [ -d /run/systemd/system ]; then
        systemctl disable --now --quiet pacemaker.service corosync.service || true
    fi
    for pid in $(pidof pacemakerd 2>/dev/null || true); do stop_pid "$pid" 60; done
    for daemon in pacemaker-controld pacemaker-schedulerd pacemaker-execd pacemaker-attrd pacemaker-fenced pacemaker-based; do
        for pid in $(pidof "$daemon" 2>/dev/null || true); do stop_pid "$pid" 10; done
    done
    for pid in $(pidof corosync 2>/dev/null || true); do stop_pid "$pid" 30; done
}

corosync_pid=""
pacemaker_pid=""
# Sends SIGTERM to a pid and waits up to $2 seconds for it to exit, then SIGKILLs it.
stop_pid() {
    local pid=$1 limit=$2 waited=0
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2>/dev/null || return 0
    while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt $((limit * 10)) ]; do
        sleep 0.1
        waited=$((waited + 1))
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "pid $pid ignored SIGTERM for ${limit}s; killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

if pidof corosync >/dev/null || pidof pacemakerd >/dev/null; then
    if ! packaged_cluster; then
        log "a corosync or pacemakerd process is already running; refusing to touch it"
        exit 1
    fi
    stop_packaged_cluster
    if pidof corosync >/dev/null || pidof pacemakerd >/dev/null; then
        log "the packaged cluster did not stop; refusing to start beside it"
        exit 1
    fi
fi

work=$(mktemp -d /tmp/phasekit-pacemaker.XXXXXX)
cleanup() {
    local status=$?
    log "stopping pacemaker and corosync"
    stop_pid "$pacemaker_pid" 60
    # Pacemaker's subdaemons exit with pacemakerd; make sure none is left behind.
    for daemon in pacemaker-controld pacemaker-schedulerd pacemaker-execd pacemaker-attrd pacemaker-fenced pacemaker-based; do
        for pid in $(pidof "$daemon" 2>/dev/null || true); do stop_pid "$pid" 10; done
    done
    stop_pid "$corosync_pid" 30
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

node=$(uname -n)
cat >"$work/corosync.conf" <<CONF
totem {
    version: 2
    cluster_name: phasekit-test
    transport: knet
    crypto_cipher: none
    crypto_hash: none
}
nodelist {
    node {
        ring0_addr: 127.0.0.1
        name: $node
        nodeid: 1
    }
}
quorum {
    provider: corosync_votequorum
}
logging {
    to_stderr: no
    to_logfile: yes
    logfile: $work/corosync.log
    to_syslog: no
}
CONF

log "starting corosync ($work/corosync.conf)"
corosync -f -c "$work/corosync.conf" &
corosync_pid=$!
log "starting pacemakerd"
pacemakerd >"$work/pacemakerd.out" 2>&1 &
pacemaker_pid=$!

log "waiting (at most 90 s) for $node to become the DC"
deadline=$((SECONDS + 90))
until timeout 10 crmadmin --dc_lookup 2>/dev/null | grep -q "Designated Controller is: $node"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
        log "no DC after 90 s; last logs:"
        tail -n 20 "$work/corosync.log" /var/log/pacemaker/pacemaker.log 2>/dev/null >&2 || true
        exit 1
    fi
    if ! kill -0 "$corosync_pid" 2>/dev/null || ! kill -0 "$pacemaker_pid" 2>/dev/null; then
        log "corosync or pacemakerd exited:"
        tail -n 20 "$work/corosync.log" "$work/pacemakerd.out" >&2 || true
        exit 1
    fi
    sleep 1
done

crm_attribute --type crm_config --name stonith-enabled --update false
crm_attribute --type crm_config --name no-quorum-policy --update ignore
for id in phasekit-dummy-a phasekit-dummy-b; do
    # A CIB kept from an earlier run may still hold the resource: replace it.
    cibadmin --delete -o resources --xml-text "<primitive id=\"$id\"/>" >/dev/null 2>&1 || true
    crm_resource --cleanup --resource "$id" >/dev/null 2>&1 || true
    cibadmin --create -o resources --xml-text "<primitive id=\"$id\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\">
  <meta_attributes id=\"$id-meta\"><nvpair id=\"$id-meta-target-role\" name=\"target-role\" value=\"Stopped\"/></meta_attributes>
  <operations><op id=\"$id-monitor\" name=\"monitor\" interval=\"5s\" timeout=\"20s\"/></operations>
</primitive>"
done
log "cluster ready with phasekit-dummy-a and phasekit-dummy-b (stopped)"

export PHASEKIT_TEST_PACEMAKER=1
set +e
"$@"
status=$?
set -e
exit "$status"
