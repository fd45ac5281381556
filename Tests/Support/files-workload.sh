#!/usr/bin/env bash
# The files workload of issue 29, for measuring where phasekit's own time goes
# (docs/performance.md, "Where phasekit's time goes"): 3 servers on 3 ssh aliases of one private
# sshd on 127.0.0.1; per host N desired files of about 1 KiB (half right, a quarter with the wrong
# content, a quarter missing) plus 30 stale files; a script that reads every file through
# files.on(server) and writes or removes only what differs.
#
#   bash Tests/Support/files-workload.sh PHASEKIT N [ROUNDS]
#
# Prints, per round, the wall time of the dry run (analysis), the apply (--execute --yes) and the
# dry run again, the ssh sessions each opened, and the size of state/. With STRACE=1 every agent
# runs under strace, and each run also prints, per host, the agent's answers (frames written to
# its standard output: its requests) and its fsync calls (the times are then strace's, not
# phasekit's). Everything lives under a scratch directory it removes.
set -euo pipefail
PHASEKIT=$(readlink -f "$1"); N=${2:-200}; ROUNDS=${3:-3}
SCRATCH=$(mktemp -d "${WORKLOAD_DIR:-/tmp}/pk-workload-XXXXXX")
trap 'kill $(cat $SCRATCH/sshd/sshd.pid 2>/dev/null) 2>/dev/null || true; rm -rf "$SCRATCH"' EXIT
mkdir -p "$SCRATCH/sshd" /run/sshd
cd "$SCRATCH/sshd"
ssh-keygen -q -t ed25519 -N '' -f client_key; ssh-keygen -q -t ed25519 -N '' -f host_key
cp client_key.pub authorized_keys
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > sshd_config <<CONF
Port $PORT
ListenAddress 127.0.0.1
HostKey $SCRATCH/sshd/host_key
AuthorizedKeysFile $SCRATCH/sshd/authorized_keys
PidFile $SCRATCH/sshd/sshd.pid
StrictModes no
UsePAM no
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
MaxStartups 100
LogLevel VERBOSE
# bash reads ~/.bashrc for a command sshd runs only at shell level 1: a slow .bashrc (pyenv init) must not be timed.
SetEnv SHLVL=1
CONF
KEY=$(cut -d' ' -f1-2 host_key.pub)
: > ssh_config; : > known_hosts
for i in 1 2 3; do
  echo "host$i $KEY" >> known_hosts
  printf 'Host host%s\n  HostName 127.0.0.1\n  Port %s\n  User root\n  IdentityFile %s/client_key\n  IdentitiesOnly yes\n  UserKnownHostsFile %s/known_hosts\n  GlobalKnownHostsFile /dev/null\n  HostKeyAlias host%s\n  LogLevel ERROR\n\n' \
    "$i" "$PORT" "$SCRATCH/sshd" "$SCRATCH/sshd" "$i" >> ssh_config
done
/usr/sbin/sshd -f sshd_config -E "$SCRATCH/sshd/sshd.log"
SITE=$SCRATCH/site
mkdir -p "$SITE" "$SCRATCH/trace"
AGENT=$PHASEKIT
if [ "${STRACE:-}" = 1 ]; then
  AGENT=$SCRATCH/traced-agent.sh
  printf '#!/bin/sh\nexec strace -f -qq -e trace=write,fsync,fdatasync,syncfs -o %s/trace/agent.$$ %s "$@"\n' "$SCRATCH" "$PHASEKIT" > "$AGENT"
  chmod +x "$AGENT"
elif [ -n "${AGENT_WRAP:-}" ]; then
  # e.g. AGENT_WRAP='/usr/bin/time -a -o /tmp/agents.txt -f %e_wall_%U_user_%S_sys': each agent under it.
  AGENT=$SCRATCH/wrapped-agent.sh
  printf '#!/bin/sh\nexec %s %s "$@"\n' "$AGENT_WRAP" "$PHASEKIT" > "$AGENT"
  chmod +x "$AGENT"
fi
# Per host: requests answered (write(1, ...) calls of the agent) and fsync calls, then forgets them.
traced() {
  [ "${STRACE:-}" = 1 ] || return 0
  local out=""
  for trace in "$SCRATCH"/trace/agent.*; do
    [ -e "$trace" ] || continue
    out+=" [$(grep -c '^[0-9]* *write(1,' "$trace") answers, $(grep -cE 'fsync|fdatasync|syncfs' "$trace") fsync]"
    rm -f "$trace"
  done
  echo -n "$out"
}
{
  echo "name: workload"
  echo "servers:"
  for i in 1 2 3; do
    printf '  - name: s%s\n    root: %s/host%s\n    host: host%s\n    phasekit: %s\n' "$i" "$SCRATCH" "$i" "$i" "$AGENT"
  done
  printf 'ssh:\n  config: %s/sshd/ssh_config\n' "$SCRATCH"
} > "$SITE/site.yaml"
cat > "$SITE/sync_files.lua" <<LUA
-- Per server: N desired files under data/, each about 1 KiB and different per server and file.
local n = $N
for _, name in ipairs({ "s1", "s2", "s3" }) do
  local area = files.on(name)
  local wanted = {}
  for i = 1, n do
    local path = string.format("data/f%05d.conf", i)
    local line = string.format("%s file %d ", name, i)
    wanted[path] = string.rep(line, 1024 // #line) .. "\n"
  end
  for i = 1, n do
    local path = string.format("data/f%05d.conf", i)
    if not area.exists(path) or area.read(path) ~= wanted[path] then area.write(path, wanted[path]) end
  end
  for _, entry in ipairs(area.list("data")) do
    if not wanted["data/" .. entry] then area.remove("data/" .. entry) end
  end
end
LUA
# The starting state: half right, a quarter wrong, a quarter missing, 30 stale.
reset_hosts() {
  python3 - "$SCRATCH" "$N" <<'PY'
import os, shutil, sys
scratch, n = sys.argv[1], int(sys.argv[2])
for i in (1, 2, 3):
    data = f"{scratch}/host{i}/data"
    shutil.rmtree(data, ignore_errors=True)
    os.makedirs(data)
    for k in range(1, n + 1):
        if k > n // 2 + n // 4:
            continue                                   # missing
        line = f"s{i} file {k} "
        body = line * (1024 // len(line)) + "\n"
        if k > n // 2:
            body = "wrong " + body                     # wrong content
        with open(f"{data}/f{k:05d}.conf", "w") as f:
            f.write(body)
    for k in range(30):
        with open(f"{data}/stale{k:03d}.conf", "w") as f:
            f.write("stale\n" * 100)
PY
  sync
}
sessions() { grep -c 'Accepted publickey' "$SCRATCH/sshd/sshd.log" || true; }
timed() {  # prints seconds and exit code of: phasekit ARGS
  local start end status=0
  start=$(date +%s.%N)
  ${WRAP:-} "$PHASEKIT" "$@" --site "$SITE" > "$SCRATCH/out" 2>&1 || status=$?
  [ -z "${SHOW:-}" ] || cat "$SCRATCH/out" >&2
  end=$(date +%s.%N)
  printf '%.2f s (exit %s)' "$(echo "$end - $start" | bc)" "$status"
}
echo "phasekit $("$PHASEKIT" --version), $N files per host, 3 hosts, $(nproc) cores"
reset_hosts
echo "hosts check (3 handshakes): $(timed hosts check), $(timed hosts check), $(timed hosts check)"
for round in $(seq "$ROUNDS"); do
  reset_hosts
  s0=$(sessions)
  dry=$(timed run "$SITE/sync_files.lua")$(traced)
  s1=$(sessions)
  apply=$(timed run "$SITE/sync_files.lua" --execute --yes)$(traced)
  s2=$(sessions)
  again=$(timed run "$SITE/sync_files.lua")$(traced)
  s3=$(sessions)
  ok=$(python3 - "$SCRATCH" "$N" <<'PY'
import os, sys
scratch, n = sys.argv[1], int(sys.argv[2])
bad = 0
for i in (1, 2, 3):
    data = f"{scratch}/host{i}/data"
    names = sorted(os.listdir(data))
    if len(names) != n: bad += 1
    for k in range(1, n + 1):
        line = f"s{i} file {k} "
        try:
            if open(f"{data}/f{k:05d}.conf").read() != line * (1024 // len(line)) + "\n": bad += 1
        except FileNotFoundError:
            bad += 1
print("hosts right" if bad == 0 else f"{bad} WRONG")
PY
)
  echo "round $round: dry run $dry [$((s1 - s0)) ssh], apply $apply [$((s2 - s1)) ssh], dry run again $again [$((s3 - s2)) ssh]; $ok; state/ $(du -sh "$SITE/state" | cut -f1)"
done
