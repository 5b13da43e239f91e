#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs a test program against a known keyring, never the user's:
#
#   keyring-env.sh gnome-keyring|file|none|hanging PROGRAM [ARGUMENT…]
#
# Every mode gets a private dbus-daemon whose only service directory is empty, so nothing is
# D-Bus-activated (no keyring, no prompter, no portal), and HOME and the XDG directories in a
# temporary directory, removed at the end with every process started here.
#
#   gnome-keyring  a real gnome-keyring-daemon (secrets component), its login keyring created
#                  and unlocked with a throw-away password
#   file           libsecret's encrypted file backend (SECRET_BACKEND=file), pointed at a test
#                  file with a test password through SECRET_FILE_TEST_PATH/_PASSWORD
#   none           no Secret Service on the bus at all
#   hanging        the test itself owns org.freedesktop.secrets and never answers
#
# The program learns the mode from EXK_TEST_KEYRING and may read the keyring's file from
# EXK_TEST_KEYRING_FILE. Output is the program's (TAP); a missing tool is a TAP skip.
set -u

mode=${1:?usage: keyring-env.sh gnome-keyring|file|none|hanging PROGRAM [ARGUMENT…]}
shift

skip_all () {
  echo "1..0 # SKIP $1"
  exit 0
}

case $mode in
  gnome-keyring|file|none|hanging) ;;
  *) echo "keyring-env.sh: unknown mode '$mode'" >&2; exit 99 ;;
esac

command -v dbus-daemon >/dev/null 2>&1 || skip_all "dbus-daemon is not installed"
if [ "$mode" = gnome-keyring ]; then
  command -v gnome-keyring-daemon >/dev/null 2>&1 ||
    skip_all "gnome-keyring-daemon is not installed (Debian package gnome-keyring)"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/exkeys-keyring.XXXXXX") || exit 99
bus_pid=
keyring_pid=

cleanup () {
  # Background processes (not --fork/--daemonize) stay in our process group, so meson's kill
  # of the group on a timeout reaches them too.
  for pid in $keyring_pid $bus_pid; do
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

mkdir -p "$tmp/home" "$tmp/data" "$tmp/config" "$tmp/cache" "$tmp/run" "$tmp/services"
chmod 700 "$tmp/run"
export HOME="$tmp/home"
export XDG_DATA_HOME="$tmp/data"
export XDG_CONFIG_HOME="$tmp/config"
export XDG_CACHE_HOME="$tmp/cache"
export XDG_RUNTIME_DIR="$tmp/run"
unset SECRET_BACKEND SECRET_FILE_TEST_PATH SECRET_FILE_TEST_PASSWORD GNOME_KEYRING_CONTROL

cat >"$tmp/bus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=$tmp/run</listen>
  <auth>EXTERNAL</auth>
  <servicedir>$tmp/services</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOF

: >"$tmp/address"
# Its stderr (e.g. "Failed to set fd limit" when not root) is shown only if it fails to start.
dbus-daemon --nofork --config-file="$tmp/bus.conf" --print-address=3 3>"$tmp/address" \
  2>"$tmp/dbus-daemon.log" &
bus_pid=$!
i=0
until [ -s "$tmp/address" ]; do
  i=$((i + 1))
  if [ $i -gt 250 ] || ! kill -0 "$bus_pid" 2>/dev/null; then
    echo "keyring-env.sh: dbus-daemon did not start:" >&2
    cat "$tmp/dbus-daemon.log" >&2
    exit 99
  fi
  sleep 0.02
done
DBUS_SESSION_BUS_ADDRESS=$(head -n 1 "$tmp/address")
export DBUS_SESSION_BUS_ADDRESS
unset DBUS_SYSTEM_BUS_ADDRESS

name_has_owner () {
  dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner "string:$1" 2>/dev/null | grep -q 'boolean true'
}

case $mode in
  gnome-keyring)
    # --unlock reads the password from stdin and creates the login keyring, which becomes the
    # default collection. A file (not a pipe) keeps $! the daemon's own pid.
    printf '%s' "exkeys-test-password" >"$tmp/password"
    # Not under the test's G_DEBUG=fatal-warnings: gnome-keyring 42 warns ("asked to register
    # item …, but it's already registered") when an item is replaced, and would abort.
    env -u G_DEBUG -u G_MESSAGES_DEBUG gnome-keyring-daemon --foreground --unlock --components=secrets \
      <"$tmp/password" >"$tmp/gnome-keyring.log" 2>&1 &
    keyring_pid=$!
    i=0
    until name_has_owner org.freedesktop.secrets; do
      i=$((i + 1))
      if [ $i -gt 250 ] || ! kill -0 "$keyring_pid" 2>/dev/null; then
        echo "keyring-env.sh: gnome-keyring-daemon did not start:" >&2
        cat "$tmp/gnome-keyring.log" >&2
        exit 99
      fi
      sleep 0.02
    done
    export EXK_TEST_KEYRING_FILE="$XDG_DATA_HOME/keyrings/login.keyring"
    ;;
  file)
    export SECRET_BACKEND=file
    export SECRET_FILE_TEST_PATH="$tmp/file-backend/default.keyring"
    export SECRET_FILE_TEST_PASSWORD="exkeys-test-password"
    export EXK_TEST_KEYRING_FILE="$SECRET_FILE_TEST_PATH"
    ;;
esac

# Under -Db_sanitize=address, leaks that are not ours, by name (keeping any suppressions given):
# - GLib 2.74 leaks the previous XDG values on purpose each time G_TEST_OPTION_ISOLATE_DIRS
#   sets new ones;
# - libsecret 0.20.5 leaks 8 bytes per SecretItem proxy that secret_password_search_sync()
#   builds: only the test's own checks search, ExkSecretStore never does.
{
  echo "leak:g_set_user_dirs"
  echo "leak:secret_item_new_for_dbus_path"
  supp=$(printf '%s\n' "${LSAN_OPTIONS:-}" | tr ':' '\n' | sed -n 's/^suppressions=//p' | tail -n 1)
  [ -z "$supp" ] || cat "$supp"
} >"$tmp/lsan.supp"
export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$tmp/lsan.supp"
# Debian's GLib has no frame pointers: only the slow unwinder sees g_set_user_dirs.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}fast_unwind_on_malloc=0"
if [ "$mode" = file ]; then
  # libsecret 0.20.5's file backend leaks the file's etag on every write
  # (secret-file-collection.c, on_replace_contents); the allocation's stack has only GIO
  # frames, so it cannot be suppressed by name. ExkSecretStore's own leaks are checked by
  # the other modes, which run the same code.
  export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
fi

export EXK_TEST_KEYRING="$mode"

status=0
"$@" || status=$?

if [ "$mode" = gnome-keyring ] && ! kill -0 "$keyring_pid" 2>/dev/null; then
  echo "keyring-env.sh: gnome-keyring-daemon died during the test:" >&2
  cat "$tmp/gnome-keyring.log" >&2
  [ $status -ne 0 ] || status=1
fi

exit $status
