#!/bin/sh
# scripts/demo.sh - set everything up, build, create a demo store in
# ./demo and run the main job on it: today's follow-ups and a history.
set -eu
cd "$(dirname "$0")/.."
scripts/setup.sh
exec make demo
