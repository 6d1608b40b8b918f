#!/bin/sh
# scripts/check.sh - set everything up on a fresh Debian 12 machine and
# run every test: the suite, then the suite again under ASan and UBSan.
set -eu
cd "$(dirname "$0")/.."
scripts/setup.sh
exec make check
