#!/usr/bin/env bash
# Runs every Lotse test on a fresh Debian machine with the .NET SDK: installs what the tests need
# (Debian's chromium for the browser tests, postgresql for the PostgreSQL runs, redis-server for the
# tests with several app instances, Node.js/npm for the front-end packages) when it is missing, then
# runs all test projects on SQLite and PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if ((${#missing[@]})); then
  echo "test.sh: installing ${missing[*]} from Debian's packages"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
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
