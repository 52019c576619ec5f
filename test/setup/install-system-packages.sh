#!/usr/bin/env bash
# Debian packages the tests need: chromium (driven by playwright-core), a compiler and krb5 headers
# (code-server builds native modules at install). Installed only when missing.
set -euo pipefail
needed=()
for pkg in chromium build-essential libkrb5-dev python3-venv; do
  dpkg -s "$pkg" >/dev/null 2>&1 || needed+=("$pkg")
done
[ ${#needed[@]} -eq 0 ] && { echo "system packages present"; exit 0; }
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${needed[@]}"
