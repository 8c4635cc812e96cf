#!/usr/bin/env bash
# System tools for the tests that use real ones: tests/integration/test_keyring_real.py
# needs a D-Bus session bus (dbus-run-session, dbus-daemon) and a Secret Service
# (gnome-keyring-daemon); tests/integration/test_completions.py loads the completion
# scripts into zsh and fish (bash is always there); curl runs the README's
# `nanoctl token --header | curl -H @- …` (tests/integration/test_token_command.py).
# Idempotent and quiet: does nothing when they are there. Installs them with apt-get
# when run as root; otherwise says in one line what to install and exits 0 (the
# tests then fail with the same advice: they never skip). A failed apt-get
# is reported the same way.
set -euo pipefail

TOOLS=(dbus-run-session dbus-daemon gnome-keyring-daemon zsh fish curl)
# gnome-keyring needs a session bus package: dbus-x11 is the light one (dbus-user-session
# pulls in systemd); dbus-daemon holds dbus-daemon and dbus-run-session.
PACKAGES=(gnome-keyring dbus-x11 dbus-daemon zsh fish curl)

missing=()
for tool in "${TOOLS[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $EUID -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: ${missing[*]} missing; run 'sudo scripts/system-deps.sh', or install" \
    "${PACKAGES[*]} (Debian/Ubuntu names) with your package manager." >&2
  exit 0
fi

log="${TMPDIR:-/tmp}/nanoctl-system-deps.log"
echo "system-deps: installing ${PACKAGES[*]} for ${missing[*]} (log: $log)..." >&2
started=$SECONDS
if ! {
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq &&
    apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}"
} >"$log" 2>&1; then
  # exit 0 all the same: the rest of the suite still runs; the keyring test fails
  echo "system-deps: apt-get failed (see $log); install ${PACKAGES[*]} by hand." >&2
  exit 0
fi
echo "system-deps: installed in $((SECONDS - started)) s." >&2
