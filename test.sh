#!/usr/bin/env bash
# Runs every Lotse test on a fresh Debian machine with the .NET SDK: installs what the tests need
# (Debian's chromium for the browser tests, postgresql for the PostgreSQL runs, redis-server for the
# tests with several app instances, nginx for the two-instance test behind a proxy, Node.js/npm for the front-end
# packages) when it is missing, then runs all test projects on SQLite and PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
# In /usr/sbin, which is not on a non-root user's PATH.
[ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if ((${#missing[@]})); then
  echo "test.sh: installing ${missing[*]} from Debian's packages"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  # The tests start their own servers (nginx, redis-server, a PostgreSQL cluster) on free loopback ports: the packages
  # must not start system services (nginx on port 80) while they are installed. policy-rc.d says no to every start.
  policy=/usr/sbin/policy-rc.d
  own_policy=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
    $sudo chmod +x "$policy"
    own_policy=1
  fi
  installed=0
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || installed=$?
  [ -z "$own_policy" ] || $sudo rm -f "$policy"
  [ "$installed" -eq 0 ] || exit "$installed"
fi

dotnet build Lotse.slnx -c Release -warnaserror --nologo -v quiet
log=$(mktemp)
status=0
dotnet test Lotse.slnx -c Release --no-build --nologo 2>&1 | tee "$log" || status=$?

# One closing line over all test projects: "N passed, N failed".
awk '/^(Passed|Failed)! +- +Failed: +[0-9]+, Passed: +[0-9]+/ {
       gsub(",", ""); failed += $4; passed += $6
     }
     END { printf "%d passed, %d failed\n", passed, failed }' "$log"
rm -f "$log"
exit "$status"
