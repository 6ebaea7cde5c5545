#!/usr/bin/env bash
# The system tools `make test` needs beyond Python: Chromium (browser tests, PDF), Java (HTML validator),
# Node/npm (`make offline`'s iframe-worker shim). As root on Debian/Ubuntu, install what is missing;
# otherwise stop with one line naming exactly what to install.
set -euo pipefail
missing=()
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || missing+=(chromium)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || missing+=(npm)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  exit 0
fi
echo "system-deps: missing ${missing[*]}: run 'sudo apt-get install -y ${missing[*]}' (or set CHROMIUM=/path/to/chromium), then 'make test' again" >&2
exit 1
