#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to build, run and test Ratusha:
# Debian packages (only those missing) and the npm packages of package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libssl-dev
  libsoci-dev libsqlite3-dev sqlite3 libpq-dev postgresql postgresql-client
  libsodium-dev libqrencode-dev libtoml11-dev libcli11-dev libspdlog-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang-14 libclang-rt-14-dev
  libmagic-dev poppler-utils unzip clamav-daemon libical-dev
  libcurl4-openssl-dev python3-aiosmtpd libpango1.0-dev libcairo2-dev
  chromium fonts-dejavu-core wrk
  janus janus-tools coturn ffmpeg iproute2
)
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# npm packages, again only when the lock file changed since the last install.
stamp=node_modules/.ratusha-lock-stamp
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi
