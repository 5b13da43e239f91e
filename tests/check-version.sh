#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# `exkeys --version` prints the name and version, and exits 0 without a display.
set -u
exe=${1:?usage: check-version.sh EXKEYS VERSION}
expected="Exkeys ${2:?usage: check-version.sh EXKEYS VERSION}"

output=$(env -u DISPLAY -u WAYLAND_DISPLAY "$exe" --version) || {
  echo "exkeys --version failed"
  exit 1
}
if [ "$output" != "$expected" ]; then
  echo "exkeys --version printed “$output”, expected “$expected”"
  exit 1
fi
echo "$output"
