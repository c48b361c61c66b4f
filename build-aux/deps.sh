#!/bin/bash
# build-aux/deps.sh
# Copyright 2026 The Claire Workshop authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The one list of Debian 12 packages that building, running and testing Claire Workshop
# needs, plus the helpers that build-aux/run and build-aux/test share. Source it:
#
#   . build-aux/deps.sh && cw_install_deps
#
# or run it directly (`bash build-aux/deps.sh`) to install what is missing, or with
# `--list` to print the packages.

# Needed for every build, run and test.
CW_DEB_PACKAGES=(
  # Build tools.
  meson
  ninja-build
  pkg-config
  gcc
  gettext
  python3
  # Libraries (the -dev packages pull in the runtime libraries).
  libglib2.0-bin
  libglib2.0-dev-bin
  libgtk-4-dev
  libadwaita-1-dev
  libsoup-3.0-dev
  libjson-glib-dev
  libsecret-1-dev
  libsqlite3-dev
  # Validation of the shipped data files.
  appstream
  desktop-file-utils
  libxml2-utils
  librsvg2-bin
  # GTK draws its SVG icons through this gdk-pixbuf loader; without it no icon loads.
  librsvg2-common
  flatpak-builder
  # The TLS tests make a certificate authority of their own (tests/net).
  openssl
  # Headless test harness: X server, session bus, a real Secret Service.
  # dbus-run-session comes with dbus-daemon, so dbus-x11 (dbus-launch) is not needed.
  xvfb
  xauth
  # The UI tests type into the app's window through the X server, as a keyboard does.
  xdotool
  dbus-daemon
  gnome-keyring
  libsecret-tools
)

# Packages that help but never stop a build or a test run: installed when we are root and
# Debian has them. build-aux/test builds and runs the libFuzzer targets of the DMS mappings
# (tests/fuzz) when clang is there.
CW_DEB_OPTIONAL_PACKAGES=(
  clang
  libclang-rt-14-dev
)

# Succeeds when the Debian package is installed.
cw_deb_is_installed () {
  local status
  status=$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) || return 1
  [[ $status == "install ok installed" ]]
}

# Prints the packages of the given list that are not installed, one per line.
cw_deb_missing () {
  local pkg
  for pkg in "$@"; do
    cw_deb_is_installed "$pkg" || printf '%s\n' "$pkg"
  done
}

# Installs every missing package. As root it runs apt-get itself; otherwise it prints the
# exact command to run and returns 1. Optional packages are installed when possible and
# otherwise only mentioned.
cw_install_deps () {
  if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "deps: dpkg-query not found; this is not Debian, so install the equivalents of:" >&2
    echo "deps:   ${CW_DEB_PACKAGES[*]}" >&2
    return 0
  fi

  local -a missing optional
  mapfile -t missing < <(cw_deb_missing "${CW_DEB_PACKAGES[@]}")
  mapfile -t optional < <(cw_deb_missing "${CW_DEB_OPTIONAL_PACKAGES[@]}")

  if [[ ${#missing[@]} -eq 0 && ${#optional[@]} -eq 0 ]]; then
    return 0
  fi

  if [[ $(id -u) -ne 0 ]]; then
    if [[ ${#optional[@]} -gt 0 ]]; then
      echo "deps: optional (fuzzing only) and not installed: ${optional[*]}" >&2
    fi
    if [[ ${#missing[@]} -gt 0 ]]; then
      echo "deps: these Debian packages are missing. Install them with:" >&2
      echo "sudo apt-get install ${missing[*]}"
      return 1
    fi
    return 0
  fi

  echo "deps: installing ${missing[*]} ${optional[*]}" >&2
  apt-get update
  if [[ ${#missing[@]} -gt 0 ]]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
  fi
  if [[ ${#optional[@]} -gt 0 ]]; then
    # The fuzzing tools are a bonus: a mirror without them must not fail the build.
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${optional[@]}" ||
      echo "deps: could not install the optional ${optional[*]}; fuzzing targets unavailable" >&2
  fi
}

# Configures build directory $1 with the meson options that follow, idempotently: a fresh
# directory is set up, an existing one is reconfigured with the same options, and one that
# cannot be reconfigured (for instance made by another meson version) is wiped.
cw_meson_setup () {
  local builddir=$1
  shift
  if [[ -f $builddir/meson-private/coredata.dat ]]; then
    meson setup --reconfigure "$builddir" "$@" ||
      meson setup --wipe "$builddir" "$@"
  else
    meson setup "$builddir" "$@"
  fi
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  set -euo pipefail
  case ${1:-} in
    --list) printf '%s\n' "${CW_DEB_PACKAGES[@]}" ;;
    "") cw_install_deps ;;
    *) echo "usage: $0 [--list]" >&2; exit 2 ;;
  esac
fi
