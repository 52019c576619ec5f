#!/usr/bin/env bash
# Real-editor E2E (`npm run test:e2e`): packages the extension (unless autodidact.vsix is newer than its
# sources), installs it into a fresh code-server profile, points its store at a fixture folder, starts
# code-server on 127.0.0.1 and runs e2e.test.js with playwright-core + Debian chromium, once per theme.
# Output: test-output/e2e/ (screenshots, code-server logs, the extension's log, e2e.tap). Exits non-zero on failure.
# On linux-x64 it installs the platform VSIX (autodidact-linux-x64.vsix, with its ONNX runtime) and expects
# categories from sentence embeddings. In the first theme only, it also imports a real transcript from
# ../shared through the Import Sessions command and runs a training round from the panel on a real
# trainer-server (tiny model), started here.
# Environment: E2E_THEMES ("dark light"; also hc, hc-light), E2E_STORE (fixture|empty), AUTODIDACT_VSIX (test another VSIX), EXT_ID (its publisher.name),
#              AUTODIDACT_EDITOR_HOME (cache folder, default <repo>/.real-editor).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/code-server-env.sh"
T_ALL=$(date +%s.%N)
say() { echo "[e2e] $*"; }

bash "$HERE/install-editor.sh"
cd "$REPO"

# 1. The VSIX: rebuilt when any source that goes into it is newer (AUTODIDACT_VSIX skips this).
EXT_ID=${EXT_ID:-autodidact.autodidact}
EXPECT_EMBEDDINGS=0
if [ -n "${AUTODIDACT_VSIX:-}" ]; then VSIX=$AUTODIDACT_VSIX
elif [ "$(node -p 'process.platform + "-" + process.arch')" = linux-x64 ]; then
  VSIX=$REPO/autodidact-linux-x64.vsix; package_vsix stale linux-x64; EXPECT_EMBEDDINGS=1
else VSIX=$REPO/autodidact.vsix; package_vsix stale; fi
[ -f "$VSIX" ] || { echo "no VSIX at $VSIX" >&2; exit 1; }
echo "[e2e] VSIX: $VSIX ($(du -h "$VSIX" | cut -f1))"
# The analysis server must load transformers.js from the VSIX, never from this repository.
unset NODE_PATH
MODELS=$REPO/test/.models
if [ "$EXPECT_EMBEDDINGS" = 1 ] && [ ! -f "$MODELS/Xenova/all-MiniLM-L6-v2/onnx/model_quantized.onnx" ]; then
  echo "[e2e] no sentence model in $MODELS; run .venv/bin/python test/setup/prepare_embedding_model.py" >&2; exit 1
fi

# A real transcript for the Import Sessions test, read from ../shared at run time (never copied into the
# repository). Its expected counts come from the CLI on an empty store, not from the code the panel runs.
IMPORT_FILE=$REPO/../shared/fixtures/transcripts/gemini-cli/vct_jsonl_session-0ab84937.jsonl
IMPORT_EXPECT=$EDITOR_HOME/e2e-run/import-expect.json
if [ -f "$IMPORT_FILE" ]; then
  IMPORT_FILE=$(cd "$(dirname "$IMPORT_FILE")" && pwd)/$(basename "$IMPORT_FILE")
  rm -rf "$EDITOR_HOME/e2e-run/import-expect"; mkdir -p "$EDITOR_HOME/e2e-run/import-expect"
  node dist/cli.js import "$IMPORT_FILE" --db "$EDITOR_HOME/e2e-run/import-expect" --no-embeddings --json > "$IMPORT_EXPECT"
elif [ "${CI:-}" = true ]; then
  echo "[e2e] no fixtures at $REPO/../shared/fixtures/transcripts; with CI=true the import test must run" >&2; exit 1
else
  say "NOT RUN: the Import Sessions test (no fixtures at $REPO/../shared/fixtures/transcripts)"; IMPORT_FILE=""
fi

OUT=$REPO/test-output/e2e
rm -rf "$OUT"; mkdir -p "$OUT"
THEMES=${E2E_THEMES:-dark light}
FIRST_THEME=${THEMES%% *}
FAILED=()

for THEME in $THEMES; do
  T=$(date +%s.%N)
  RUN=$EDITOR_HOME/e2e-run/$THEME
  rm -rf "$RUN"; mkdir -p "$RUN"/{ud,exts,ws,store}

  # 2. The store the editor will read. makeFixtureStore.ts (the lead's) fills it; until it exists the
  #    store starts empty and the test expects zero counts.
  EXPECT_STATS=""; EXPECT_EXPORT=""
  if [ "${E2E_STORE:-fixture}" = empty ]; then
    say "E2E_STORE=empty: the store starts empty (the test expects a dash and zero counts)"
  elif [ -f "$HERE/makeFixtureStore.ts" ]; then
    node --import tsx "$HERE/makeFixtureStore.ts" "$RUN/store"
    # Expected numbers come from the CLI on the same store, before the editor opens it.
    if [ -f dist/cli.js ]; then
      node dist/cli.js stats --db "$RUN/store" --json > "$RUN/stats.json"
      EXPECT_STATS=$RUN/stats.json
      say "fixture store: $(cat "$RUN/stats.json")"
      # The Data section's counts are checked against an export of the same store (which also records it).
      node dist/cli.js export --db "$RUN/store" --json -o "$RUN/export/train.jsonl" > "$RUN/export.json"
      EXPECT_EXPORT=$RUN/export.json
    else
      echo "[e2e] dist/cli.js is missing, so the expected numbers cannot be computed; run npm run build" >&2; exit 1
    fi
  else
    say "test/real-editor/makeFixtureStore.ts not present yet: fixture NOT created, the store starts empty"
  fi
  # The sentence model where the analysis server caches it (as after its first download), hard-linked.
  if [ "$EXPECT_EMBEDDINGS" = 1 ]; then
    mkdir -p "$RUN/store/models"; cp -rl "$MODELS/Xenova" "$RUN/store/models/" 2>/dev/null || cp -r "$MODELS/Xenova" "$RUN/store/models/"
  fi

  # 3. A fresh profile with the VSIX installed.
  cs_write_settings "$RUN/ud" "$RUN/store" true "$THEME"
  cs_install_vsix "$RUN/ud" "$RUN/exts" "$VSIX" > "$OUT/$THEME-install-extension.log" 2>&1 ||
    { cat "$OUT/$THEME-install-extension.log" >&2; exit 1; }
  PORT=$(free_port)
  # Live sessions: the analysis server (a child of code-server) watches this Claude Code folder, not the machine's.
  mkdir -p "$RUN/claude/projects"
  export CLAUDE_CONFIG_DIR=$RUN/claude CODEX_HOME=$RUN/codex CONTINUE_GLOBAL_DIR=$RUN/continue
  # First theme: a real trainer-server (tiny model, real engine) for the round test; the extension reads
  # its token from AUTODIDACT_TRAINER_HOME. The test sets the trainer URL only when it gets there.
  ROUND_ENV=()
  if [ "$THEME" = "$FIRST_THEME" ]; then
    mkdir -p "$RUN/trainer"
    start_group "$OUT/trainer.log" node --import tsx "$HERE/live-model-trainer.ts" "$RUN/trainer"
    export AUTODIDACT_TRAINER_HOME=$RUN/trainer
    ROUND_ENV=(E2E_TRAINER_HOME="$RUN/trainer" E2E_MACHINE_SETTINGS="$RUN/ud/Machine/settings.json" E2E_IMPORT_FILE="$IMPORT_FILE" E2E_IMPORT_EXPECT="$IMPORT_EXPECT")
  else
    # A home with no trainer in it, never the machine's ~/.autodidact-trainer: the extension writes the
    # approved lessons to the local trainer home's lessons.json (lessons/lessonsFileSync.ts).
    mkdir -p "$RUN/no-trainer"
    export AUTODIDACT_TRAINER_HOME=$RUN/no-trainer
  fi
  cs_start "$PORT" "$RUN/ud" "$RUN/exts" "$RUN/ws" "$OUT/$THEME-code-server.log"
  say "$THEME: code-server up on 127.0.0.1:$PORT after $(elapsed_since "$T")s of setup"
  if [ ${#ROUND_ENV[@]} -gt 0 ]; then
    for _ in $(seq 600); do grep -q '^URL ' "$OUT/trainer.log" && break; sleep 0.2; done
    TRAINER_URL=$(grep -m1 '^URL ' "$OUT/trainer.log" | cut -d' ' -f2)
    [ -n "$TRAINER_URL" ] || { echo "[e2e] the trainer-server did not start; see $OUT/trainer.log" >&2; tail -n 20 "$OUT/trainer.log" >&2; exit 1; }
    ROUND_ENV+=(E2E_TRAINER_URL="$TRAINER_URL")
  fi

  # 4. The browser test.
  T_TEST=$(date +%s.%N)
  if CS_URL="http://127.0.0.1:$PORT/?folder=$RUN/ws" E2E_OUT="$OUT" E2E_THEME="$THEME" EXPECT_STATS="$EXPECT_STATS" EXPECT_EXPORT="$EXPECT_EXPORT" \
     PLAYWRIGHT_CORE="$PLAYWRIGHT_CORE" CHROMIUM="$CHROMIUM" EXT_ID="$EXT_ID" \
     E2E_CLAUDE_DIR="$RUN/claude" E2E_WORKSPACE="$RUN/ws" E2E_STORE_DIR="$RUN/store" \
     E2E_EXPECT_EMBEDDINGS="$EXPECT_EMBEDDINGS" E2E_EXTENSIONS_DIR="$RUN/exts" env ${ROUND_ENV[@]+"${ROUND_ENV[@]}"} \
     node --test --test-reporter=spec --test-reporter-destination=stdout \
       --test-reporter=tap --test-reporter-destination="$OUT/$THEME.tap" "$HERE/e2e.test.js"; then
    say "$THEME: PASSED in $(elapsed_since "$T_TEST")s"
  else
    say "$THEME: FAILED after $(elapsed_since "$T_TEST")s"; FAILED+=("$THEME")
  fi
  stop_groups

  # 5. Logs: the extension's own output channel and the extension host's log (activation errors land there).
  mkdir -p "$OUT/$THEME-logs"
  find "$RUN/ud/logs" -type f \( -ipath "*$EXT_ID*" -o -iname '*autodidact*' -o -name 'remoteexthost.log' \
    -o -name 'exthost.log' -o -name 'remoteagent.log' \) -exec cp --backup=numbered {} "$OUT/$THEME-logs/" \; 2>/dev/null || true
done

# One TAP file over all themes, for test/run-all.sh's pass/fail count.
cat "$OUT"/*.tap > "$OUT/e2e.tap.tmp" 2>/dev/null && mv "$OUT/e2e.tap.tmp" "$OUT/e2e.tap"
say "screenshots and logs: $OUT"
say "total $(elapsed_since "$T_ALL")s"
if [ ${#FAILED[@]} -gt 0 ]; then say "FAILED themes: ${FAILED[*]}"; exit 1; fi
say "E2E OK"
