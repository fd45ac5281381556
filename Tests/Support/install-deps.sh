#!/usr/bin/env bash
# Installs the Debian packages phasekit needs, only when something is missing.
#   install-deps.sh build   — the C libraries phasekit links (Lua 5.4, SQLite, libpq) and pkg-config
#   install-deps.sh test    — also the servers and tools the test suite runs for real
set -euo pipefail
kind=${1:-build}
packages=(liblua5.4-dev libsqlite3-dev libpq-dev pkg-config sqlite3)
if [ "$kind" = test ]; then
  packages+=(postgresql lua5.4 lua-check pacemaker pacemaker-cli-utils corosync resource-agents)
fi
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
$sudo apt-get update
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
