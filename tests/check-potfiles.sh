#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Fails when a source file with translatable strings is missing from
# po/POTFILES.in, or when POTFILES.in names a file that does not exist.
set -u
srcdir=${1:?usage: check-potfiles.sh SOURCE_ROOT}
cd "$srcdir" || exit 1

potfiles=po/POTFILES.in
listed=$(grep -v '^#' "$potfiles" | sed '/^[[:space:]]*$/d' | sort -u)
status=0

for f in $listed; do
  if [ ! -f "$f" ]; then
    echo "POTFILES.in lists $f, which does not exist"
    status=1
  fi
done

# C sources: _( N_( C_( NC_( g_dngettext ngettext; UI files: translatable="yes";
# data templates are listed by hand and checked for existence above.
found=$( {
  grep -rlE --include='*.c' '(^|[^A-Za-z0-9_])(N?C?_|g_dngettext|ngettext)[[:space:]]*\(' src
  grep -rl --include='*.ui' 'translatable="yes"' src
} | sort -u)

for f in $found; do
  if ! printf '%s\n' "$listed" | grep -qxF "$f"; then
    echo "$f has translatable strings but is missing from po/POTFILES.in"
    status=1
  fi
done

[ "$status" -eq 0 ] && echo "po/POTFILES.in lists all $(printf '%s\n' "$found" | wc -l) files with translatable strings"
exit "$status"
