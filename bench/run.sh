#!/bin/sh
# bench/run.sh - what make bench runs: the tools to compare with, from
# Debian's packages and the npm registry, then bench.py.
set -eu
cd "$(dirname "$0")/.."
scripts/setup.sh
missing=
for p in sqlite3 miller gawk time nodejs npm; do
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		command -v "$p" >/dev/null 2>&1 || missing="$missing $p"
	fi
done
if [ -n "$missing" ]; then
	sudo=
	[ "$(id -u)" -ne 0 ] && sudo=sudo
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
fi
if [ ! -d bench/node_modules/@duckdb/node-api ]; then
	(cd bench && npm install --no-save --silent @duckdb/node-api >/dev/null)
fi
make -s all
exec /usr/bin/python3 bench/bench.py "$@"
