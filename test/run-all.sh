#!/usr/bin/env bash
# `npm test`: installs what the tests need on a fresh machine (apt, npm, pip), builds, then runs every
# layer: unit, durability, faults, engine (pytest), real-editor E2E. Prints one closing line
# "N passed, N failed" over all layers and exits non-zero if anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/test-output
mkdir -p "$OUT"
export ONNXRUNTIME_NODE_INSTALL=skip # its CUDA download is not needed for CPU embeddings
step() { printf '\n=== %s (%ss)\n' "$*" "$SECONDS"; }
die() { echo "run-all: $*" >&2; exit 1; }

step "system packages"
bash test/setup/install-system-packages.sh || die "could not install system packages"

step "npm dependencies"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund || die "npm ci failed"
fi

step "python environment"
bash test/setup/install-python-env.sh || die "could not prepare .venv"
.venv/bin/python test/setup/prepare_embedding_model.py || die "could not prepare the test embedding model"

step "build"
npm run --silent build >/dev/null || die "build failed"
npx tsc -p . --noEmit || die "typecheck failed"

PASSED=0; FAILED=0; FAILED_LAYERS=()
count_tap() { # adds "# pass N" / "# fail N" from a TAP file
  local pass fail
  pass=$(grep -E '^# pass ' "$1" | awk '{s+=$3} END {print s+0}')
  fail=$(grep -E '^# fail ' "$1" | awk '{s+=$3} END {print s+0}')
  PASSED=$((PASSED + pass)); FAILED=$((FAILED + fail))
}
run_node_layer() { # name, files...
  local name=$1; shift
  step "$name tests"
  node --import tsx --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$OUT/$name.tap" "$@" || FAILED_LAYERS+=("$name")
  count_tap "$OUT/$name.tap"
}

run_node_layer unit test/unit/*.test.ts
run_node_layer durability test/durability/*.test.ts
run_node_layer faults test/faults/*.test.ts
run_node_layer learning test/learning/*.test.ts # issue 12: a round must still teach a convention (real base, CPU; 10 min under load)

step "engine tests (pytest)"
.venv/bin/python -m pytest -q test/engine --junitxml="$OUT/engine.xml" || FAILED_LAYERS+=(engine)
if [ -f "$OUT/engine.xml" ]; then
  # A skipped test did not run: it is counted as failed, never as passed.
  read -r passed failed skipped < <(.venv/bin/python test/junit_counts.py "$OUT/engine.xml")
  [ "$skipped" -eq 0 ] || echo "engine: $skipped skipped test(s), counted as failed"
  PASSED=$((PASSED + passed)); FAILED=$((FAILED + failed + skipped))
fi

step "real-editor E2E"
bash test/real-editor/run-e2e.sh || FAILED_LAYERS+=(e2e)
[ -f "$OUT/e2e/e2e.tap" ] && count_tap "$OUT/e2e/e2e.tap"

step "real-editor: the live version as the editor's chat model"
if bash test/real-editor/live-model-check.sh; then PASSED=$((PASSED + 1)); else FAILED=$((FAILED + 1)); FAILED_LAYERS+=(live-model); fi

step "done"
[ ${#FAILED_LAYERS[@]} -eq 0 ] || echo "failed layers: ${FAILED_LAYERS[*]}"
echo "$PASSED passed, $FAILED failed"
[ ${#FAILED_LAYERS[@]} -eq 0 ] && [ "$FAILED" -eq 0 ]
