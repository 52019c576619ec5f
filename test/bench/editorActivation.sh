#!/usr/bin/env bash
# Activation time in the real editor: installs autodidact.vsix (rebuilt only when stale) into a fresh
# code-server profile, opens the workbench in headless chromium RELOADS times (each load starts a new
# extension host), and collects the extension's own log lines "activate() returned in X ms".
# Output: test-output/bench/editor-activation.json {"runs":[ms...],"log":PATH}. Usage: editorActivation.sh [RELOADS]
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/../real-editor/code-server-env.sh"
RELOADS=${1:-3}

bash "$HERE/../real-editor/install-editor.sh" >/dev/null
cd "$REPO"
package_vsix stale >&2
OUT=$REPO/test-output/bench
RUN=$EDITOR_HOME/bench-activation
rm -rf "$RUN"; mkdir -p "$OUT" "$RUN"/{ud,exts,ws,store}
cs_write_settings "$RUN/ud" "$RUN/store" false dark
cs_install_vsix "$RUN/ud" "$RUN/exts" "$REPO/autodidact.vsix" > "$RUN/install.log" 2>&1 || { cat "$RUN/install.log" >&2; exit 1; }
PORT=$(free_port)
cs_start "$PORT" "$RUN/ud" "$RUN/exts" "$RUN/ws" "$RUN/code-server.log"

CS_URL="http://127.0.0.1:$PORT/?folder=$RUN/ws" LOGS="$RUN/ud/logs" RELOADS=$RELOADS RESULT="$OUT/editor-activation.json" \
  PLAYWRIGHT_CORE="$PLAYWRIGHT_CORE" CHROMIUM="$CHROMIUM" node "$HERE/editorActivationProbe.js"
stop_groups
cat "$OUT/editor-activation.json"
