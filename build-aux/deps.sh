# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by build-aux/run and build-aux/test: makes sure the Debian 12
# packages that building, running and testing Exkeys need are installed.

# Building, and what the app needs at run time even without recommended
# packages: SVG icon loading (librsvg2-common, shared-mime-info), the icon
# themes, a font, and GIO's TLS backend for HTTPS (glib-networking).
EXK_BUILD_PACKAGES="meson ninja-build pkg-config gcc libc6-dev gettext \
libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev \
libjson-glib-dev libsecret-1-dev libxml2-utils \
librsvg2-common shared-mime-info adwaita-icon-theme hicolor-icon-theme \
fonts-cantarell fonts-dejavu-core glib-networking ca-certificates"

# tests/bench/exk-xprobe (the benchmark from outside) needs libX11, Xdamage and XTEST.
# The fuzzers (tests/fuzz/) are built with clang; libFuzzer and the sanitizer runtimes
# come from libclang-rt-14-dev, which clang-14 only recommends.
EXK_TEST_PACKAGES="xvfb xauth dbus dbus-x11 desktop-file-utils appstream \
gnome-keyring libsecret-tools at-spi2-core python3-gi python3-pyatspi \
gir1.2-gtk-4.0 gir1.2-adw-1 imagemagick xclip libx11-dev libxdamage-dev libxtst-dev \
clang-14 libclang-rt-14-dev"

# build-aux/screenshots: a private X server, captures, and xdotool to drive the window.
EXK_SCREENSHOT_PACKAGES="xvfb xauth dbus imagemagick xdotool"

# exk_ensure_packages PACKAGE...
exk_ensure_packages () {
  missing=""
  for pkg in "$@"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
    [ "$status" = "installed" ] || missing="$missing $pkg"
  done
  [ -z "$missing" ] && return 0

  if [ "$(id -u)" -eq 0 ]; then
    echo "Installing:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    # shellcheck disable=SC2086
    apt-get install -y -q --no-install-recommends $missing
  else
    echo "These Debian packages are missing:$missing" >&2
    echo "Install them with:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends$missing" >&2
    exit 1
  fi
}
