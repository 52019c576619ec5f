# Sourced helpers to run code-server (the VS Code server + web workbench) for tests and for `npm start`.
# Every code-server started here runs in its own process group (setsid) and the whole group is killed
# when the sourcing shell exits, so no extension host or watcher outlives a test.
# shellcheck shell=bash
source "$(dirname "${BASH_SOURCE[0]}")/editor-paths.sh"

CS_GROUPS=()   # process-group ids to kill on exit (code-server, and any helper started with start_group)

# Runs "$@" detached in a new process group, output to $LOG; sets STARTED_PGID.
# Usage: start_group LOG CMD [ARGS...]
start_group() {
  local log=$1; shift
  setsid "$@" > "$log" 2>&1 < /dev/null &
  STARTED_PGID=$!   # setsid made it a group leader, so its pid is the group id
  CS_GROUPS+=("$STARTED_PGID")
}

stop_groups() {
  local pgid
  for pgid in "${CS_GROUPS[@]}"; do kill -TERM -- "-$pgid" 2>/dev/null || true; done
  for pgid in "${CS_GROUPS[@]}"; do
    for _ in $(seq 50); do kill -0 -- "-$pgid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pgid" 2>/dev/null || true
  done
  CS_GROUPS=()
}
trap stop_groups EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Writes the test user's settings. autodidact.storage.directory has "machine" scope, and code-server's
# extension host is remote: machine-scoped values are read only from <user-data-dir>/Machine/settings.json
# (the "Remote" settings tab) and ignored in User settings, so that one goes there.
# Usage: cs_write_settings USER_DATA_DIR STORE_DIR CAPTURE_ENABLED(true|false) THEME(dark|light|hc|hc-light)
cs_write_settings() {
  mkdir -p "$1/User" "$1/Machine"
  # shellcheck disable=SC2016  # the JavaScript below is single-quoted on purpose
  UDD=$1 STORE_DIR=$2 CAPTURE=$3 THEME=$4 node -e '
    const fs = require("fs");
    const theme = { dark: "Default Dark Modern", light: "Default Light Modern", hc: "Default High Contrast",
      "hc-light": "Default High Contrast Light" }[process.env.THEME];
    if (!theme) { console.error(`unknown theme "${process.env.THEME}" (dark|light|hc|hc-light)`); process.exit(2); }
    const user = {
      // extra AI helper processes otherwise start with the workbench
      "chat.disableAIFeatures": true,
      "workbench.startupEditor": "none",
      "workbench.colorTheme": theme,
      "workbench.tips.enabled": false,
      // an empty chat side bar and a "git repository found in parent folders" toast would crowd screenshots
      "workbench.secondarySideBar.defaultVisibility": "hidden",
      "git.openRepositoryInParentFolders": "never",
      "telemetry.telemetryLevel": "off",
      "update.mode": "none",
      "extensions.autoCheckUpdates": false,
      "extensions.autoUpdate": false,
      "autodidact.capture.enabled": process.env.CAPTURE === "true",
    };
    const machine = {};
    if (process.env.STORE_DIR) machine["autodidact.storage.directory"] = process.env.STORE_DIR;
    const write = (file, value) => fs.writeFileSync(file, JSON.stringify(value, null, 2) + "\n");
    write(`${process.env.UDD}/User/settings.json`, user);
    write(`${process.env.UDD}/Machine/settings.json`, machine);
  '
}

# Usage: cs_install_vsix USER_DATA_DIR EXTENSIONS_DIR VSIX
cs_install_vsix() {
  ( use_node24
    "$CODE_SERVER_BIN" --config "$1/config.yaml" --user-data-dir "$1" --extensions-dir "$2" \
      --install-extension "$3" --force )
}

# Starts code-server on 127.0.0.1:PORT (loopback only, no password) and waits for /healthz.
# Sets CS_PGID. Usage: cs_start PORT USER_DATA_DIR EXTENSIONS_DIR WORKSPACE LOG
cs_start() {
  local port=$1 udd=$2 exts=$3 ws=$4 log=$5
  mkdir -p "$ws" "$exts"
  start_group "$log" env PATH="$NODE24_DIR/bin:$PATH" "$CODE_SERVER_BIN" \
    --config "$udd/config.yaml" --user-data-dir "$udd" --extensions-dir "$exts" \
    --bind-addr "127.0.0.1:$port" --auth none --disable-telemetry --disable-update-check \
    --disable-workspace-trust --disable-getting-started-override "$ws"
  CS_PGID=$STARTED_PGID
  for _ in $(seq 300); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" && return 0
    kill -0 "$CS_PGID" 2>/dev/null || { echo "code-server exited early; see $log" >&2; tail -n 20 "$log" >&2; return 1; }
    sleep 0.2
  done
  echo "code-server did not answer /healthz on port $port within 60 s; see $log" >&2
  return 1
}

# A free TCP port on 127.0.0.1 (asks the kernel for one, then releases it).
free_port() {
  node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

# Builds autodidact.vsix at the repo root with `npm run package` (which builds first); with a TARGET
# (linux-x64, darwin-arm64, win32-x64, ...) the platform VSIX autodidact-TARGET.vsix, which also carries
# the embeddings runtime (extension/embeddingsRuntime.mjs).
# Usage: package_vsix always|stale [TARGET]   (stale: only when a source that goes into the VSIX is newer)
package_vsix() {
  local target=${2:-} vsix=$REPO/autodidact${2:+-$2}.vsix reason="" t
  t=$(date +%s.%N)
  if [ ! -d "$REPO/node_modules" ]; then
    echo "[package] npm install (no node_modules yet)"
    (cd "$REPO" && npm install --no-fund --no-audit)
  fi
  if [ "$1" = always ] || [ ! -f "$vsix" ]; then reason="requested"
  else reason=$(cd "$REPO" && find extension webview media package.json .vscodeignore -type f -newer "$vsix" 2>/dev/null | head -n 1)
  fi
  if [ -n "$reason" ]; then
    touch "$EDITOR_HOME/package.started"
    (cd "$REPO" && npm run --silent package -- ${target:+--target "$target"}) > "$EDITOR_HOME/package.log" 2>&1 ||
      { echo "[package] npm run package failed; last lines of $EDITOR_HOME/package.log:" >&2
        tail -n 40 "$EDITOR_HOME/package.log" >&2; return 1; }
    # Date the VSIX from when the build began, so a source edited during the build counts as newer next time.
    touch -r "$EDITOR_HOME/package.started" "$vsix"
    echo "[package] built and packaged in $(elapsed_since "$t")s ($reason): $(du -h "$vsix" | cut -f1) $vsix"
  else
    echo "[package] $vsix is newer than its sources; not rebuilt"
  fi
}
