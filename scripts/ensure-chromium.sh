#!/usr/bin/env bash
# Makes sure Debian's Chromium is at /usr/bin/chromium for the browser tests.
# Browsers cannot be downloaded here (no registry but npm and Debian's), so
# Playwright is pointed at the system Chromium instead of its own build.
# As root with apt-get, a missing Chromium is installed (with CJK and emoji
# fonts, so Chinese and emoji render in tests and screenshots); otherwise this
# exits non-zero saying what to do. Override the path with CHROMIUM_PATH.
set -euo pipefail

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"

if [ -x "$chromium" ]; then
  exit 0
fi

if [ "${CHROMIUM_PATH:-}" != "" ]; then
  echo "ensure-chromium: CHROMIUM_PATH=$CHROMIUM_PATH is not an executable file" >&2
  exit 1
fi

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: $chromium is missing; installing Debian's chromium with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk fonts-noto-color-emoji >/dev/null
  if [ -x "$chromium" ]; then
    "$chromium" --version >&2 || true
    exit 0
  fi
  echo "ensure-chromium: apt-get finished but $chromium is still missing" >&2
  exit 1
fi

cat >&2 <<MSG
ensure-chromium: the browser tests need Chromium at $chromium, and it is missing.
Install Debian's package as root:   apt-get update && apt-get install -y chromium
or set CHROMIUM_PATH to a Chromium/Chrome executable.
MSG
exit 1
