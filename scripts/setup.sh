#!/bin/sh
# scripts/setup.sh - install, from Debian's packages, everything crm needs
# to build and to run its tests, and nothing that is already there.
#
# Run as root, or as a user who may sudo.  Safe to run again.
set -eu

# Build: a compiler, make, pkg-config and the three libraries.
build="gcc libc6-dev make pkg-config libcsv-dev libjansson-dev libgsl-dev"
# make fuzz: clang with libFuzzer and the sanitizer runtimes.
fuzz="clang libclang-rt-14-dev"
# Tests: prove, mandoc for the man pages, Debian's python3 with the
# parsers the tests check our output with, a real mail client, GNU
# parallel for the sharding test, time zones, valgrind for the man
# page examples.
tests="perl mandoc python3 python3-icalendar python3-aiosmtpd python3-vobject \
msmtp parallel tzdata valgrind man-db zsh strace util-linux"

missing=
for p in $build $fuzz $tests; do
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
	    grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

sudo=
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null 2>&1 || {
		echo "setup: run as root to install:$missing" >&2
		exit 1
	}
	sudo=sudo
fi
echo "setup: installing$missing" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
	$missing >/dev/null
