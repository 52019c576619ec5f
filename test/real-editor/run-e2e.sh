#!/usr/bin/env bash
# Real-editor E2E (`npm run test:e2e`): packages the extension (unless autodidact.vsix is newer than its
# sources), installs it into a fresh code-server profile, points its store at a fixture folder, starts
# code-server on 127.0.0.1 and runs e2e.test.js with playwright-core + Debian chromium, once per theme.
# Output: test-output/e2e/ (screenshots, code-server logs, the extension's log, e2e.tap). Exits non-zero on failure.
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
if [ -n "${AUTODIDACT_VSIX:-}" ]; then VSIX=$AUTODIDACT_VSIX; else VSIX=$REPO/autodidact.vsix; package_vsix stale; fi
[ -f "$VSIX" ] || { echo "no VSIX at $VSIX" >&2; exit 1; }

OUT=$REPO/test-output/e2e
rm -rf "$OUT"; mkdir -p "$OUT"
THEMES=${E2E_THEMES:-dark light}
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

  # 3. A fresh profile with the VSIX installed.
  cs_write_settings "$RUN/ud" "$RUN/store" true "$THEME"
  cs_install_vsix "$RUN/ud" "$RUN/exts" "$VSIX" > "$OUT/$THEME-install-extension.log" 2>&1 ||
    { cat "$OUT/$THEME-install-extension.log" >&2; exit 1; }
  PORT=$(free_port)
  # Live sessions: the analysis server (a child of code-server) watches this Claude Code folder, not the machine's.
  mkdir -p "$RUN/claude/projects"
  export CLAUDE_CONFIG_DIR=$RUN/claude CODEX_HOME=$RUN/codex CONTINUE_GLOBAL_DIR=$RUN/continue
  cs_start "$PORT" "$RUN/ud" "$RUN/exts" "$RUN/ws" "$OUT/$THEME-code-server.log"
  say "$THEME: code-server up on 127.0.0.1:$PORT after $(elapsed_since "$T")s of setup"

  # 4. The browser test.
  T_TEST=$(date +%s.%N)
  if CS_URL="http://127.0.0.1:$PORT/?folder=$RUN/ws" E2E_OUT="$OUT" E2E_THEME="$THEME" EXPECT_STATS="$EXPECT_STATS" EXPECT_EXPORT="$EXPECT_EXPORT" \
     PLAYWRIGHT_CORE="$PLAYWRIGHT_CORE" CHROMIUM="$CHROMIUM" EXT_ID="$EXT_ID" \
     E2E_CLAUDE_DIR="$RUN/claude" E2E_WORKSPACE="$RUN/ws" E2E_STORE_DIR="$RUN/store" \
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
