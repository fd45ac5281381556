#!/usr/bin/env bash
# Installs the Debian packages phasekit needs, only when something is missing.
#   install-deps.sh build   — the C libraries phasekit links (Lua 5.4, SQLite, libpq) and pkg-config
#   install-deps.sh test    — also the servers and tools the test suite runs for real (tmux gives the
#                             live progress grid's test a terminal; chromium and chromium-driver let
#                             Tests/BrowserTests drive the configuration window); the suite runs as root, so this
#                             kind refuses to go on without root.
#
# Installing needs root: it runs apt-get directly as root, or through sudo when sudo is there.
# The servers it installs (PostgreSQL, corosync, Pacemaker, sshd) must not start as system services:
# the tests start private ones, and a packaged cluster running on the machine would be in their way.
# So while apt-get runs, /usr/sbin/policy-rc.d answers 101 ("action forbidden") to every service
# start (unless the machine already has a policy-rc.d, which is then left alone), and where systemd
# runs, the services of the packages just installed are disabled so that no boot starts them either.
set -euo pipefail
kind=${1:-build}
log() { echo "install-deps: $*" >&2; }

if [ "$kind" = test ] && [ "$(id -u)" -ne 0 ]; then
  log "make test must run as root: it starts a private PostgreSQL server as the postgres user"
  log "(runuser) and a one-node Pacemaker cluster (corosync, pacemakerd); run it as root (su -c 'make test' root, or sudo make test)"
  exit 2
fi

packages=(liblua5.4-dev libsqlite3-dev libpq-dev pkg-config sqlite3)
if [ "$kind" = test ]; then
  packages+=(postgresql lua5.4 lua-check pacemaker pacemaker-cli-utils corosync resource-agents openssh-client openssh-server tmux chromium chromium-driver)
fi
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
log "installing: ${missing[*]}"

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null; then
    log "installing packages needs root, and sudo is not installed: run this as root"
    log "(or install them yourself: apt-get install ${missing[*]})"
    exit 2
  fi
  sudo=(sudo)
fi

policy=/usr/sbin/policy-rc.d
own_policy=0
remove_policy() { if [ "$own_policy" -eq 1 ]; then "${sudo[@]}" rm -f "$policy"; fi; }
trap remove_policy EXIT
if [ ! -e "$policy" ]; then
  own_policy=1
  printf '#!/bin/sh\n# Written by phasekit Tests/Support/install-deps.sh while apt-get runs: start no service.\nexit 101\n' \
    | "${sudo[@]}" tee "$policy" >/dev/null
  "${sudo[@]}" chmod 755 "$policy"
fi

"${sudo[@]}" apt-get update
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
remove_policy
own_policy=0

# The policy only holds while apt-get runs; where systemd runs, the units stay enabled for the next boot.
if [ -d /run/systemd/system ]; then
  units=()
  for package in "${missing[@]}"; do
    case "$package" in
      corosync) units+=(corosync.service) ;;
      pacemaker) units+=(pacemaker.service) ;;
      postgresql) units+=(postgresql.service) ;;
      openssh-server) units+=(ssh.service ssh.socket) ;;
    esac
  done
  if [ ${#units[@]} -gt 0 ]; then
    log "disabling ${units[*]}: the tests start their own servers"
    "${sudo[@]}" systemctl disable --now --quiet "${units[@]}" || true
  fi
fi
