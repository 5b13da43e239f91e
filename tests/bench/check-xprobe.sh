#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# check-xprobe.sh XPROBE FLOOR: exk-xprobe, on the floor program, finds its window, sees it
# paint, gets answers to its pings and the program's peak RSS, in that order of time.
set -u
xprobe=$1 floor=$2

echo "1..1"
out=$(dbus-run-session -- "$xprobe" --quiet 300 -- "$floor" 500) || {
  echo "not ok 1 - exk-xprobe failed"; exit 0; }
echo "# $out"
if /usr/bin/python3 - "$out" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
checks = [
    0 < r["map"] <= r["first_paint"] <= r["complete"],
    r["start_pings"]["count"] > 10,
    0 < r["start_pings"]["p99"] <= r["start_pings"]["max"],
    r["peak_rss_kib"] > 1024,
    r["keystrokes"] == [],
]
sys.exit(0 if all(checks) else 1)
PY
then
  echo "ok 1 - map, first paint, pings and peak RSS of the floor program"
else
  echo "not ok 1 - unexpected figures"
fi
