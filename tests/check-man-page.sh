#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The man page and `exkeys --help-all` list the same options, and the man page
# names the version being built.
set -u
exe=${1:?usage: check-man-page.sh EXKEYS MAN-PAGE VERSION}
page=${2:?usage: check-man-page.sh EXKEYS MAN-PAGE VERSION}
version=${3:?usage: check-man-page.sh EXKEYS MAN-PAGE VERSION}
status=0

help=$(env -u DISPLAY -u WAYLAND_DISPLAY "$exe" --help-all) || {
  echo "exkeys --help-all failed"
  exit 1
}

# Long options: "--name" in the help, ".B \-\-name" or ".BR ... \-\-name" in the
# page's OPTIONS section.
from_help=$(printf '%s\n' "$help" | grep -o -- '--[a-z][a-z-]*' | sort -u)
from_page=$(sed -n '/^\.SH OPTIONS/,/^\.SH [^O]/p' "$page" | grep -E '^\.(B|BR) ' \
            | grep -o -- '\\-\\-[a-z][a-z\\-]*' \
            | sed 's/\\-/-/g' | sort -u)

for option in $from_help; do
  printf '%s\n' "$from_page" | grep -qx -- "$option" || {
    echo "$option is in exkeys --help-all but not in $page"
    status=1
  }
done
for option in $from_page; do
  printf '%s\n' "$from_help" | grep -qx -- "$option" || {
    echo "$option is in $page but not in exkeys --help-all"
    status=1
  }
done

grep -q "^\.TH EXKEYS 1 .*\"Exkeys $version\"" "$page" || {
  echo "$page does not say it is for Exkeys $version"
  status=1
}

[ $status -eq 0 ] && echo "$(printf '%s\n' "$from_help" | wc -l) options, the same in both"
exit $status
