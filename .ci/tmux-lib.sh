# Shared by the tmux end-to-end scripts (.ci/tui-e2e.sh, .ci/learn-e2e.sh): installs tmux if
# needed, builds the debug binary ($BIN), and the helpers that drive one tmux session named
# `e2e` on socket $SOCKET. The caller sets E2E_NAME, SOCKET and TIMEOUT (seconds per wait) and
# keeps STEP up to date; every wait polls with that timeout, and a failure prints the screen.

if ! command -v tmux >/dev/null 2>&1; then
  echo "$E2E_NAME: installing tmux"
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""
  if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; fi
  $SUDO apt-get install -y -qq tmux >/dev/null 2>&1 || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq tmux >/dev/null; }
fi

cargo build --quiet --bin statescope
TARGET_DIR=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
BIN="$TARGET_DIR/debug/statescope"
[ -x "$BIN" ] || { echo "$E2E_NAME: no binary at $BIN"; exit 1; }

STEP=""
t() { tmux -L "$SOCKET" "$@"; }
screen() { t capture-pane -p -t e2e; }
keys() { t send-keys -t e2e "$@"; }
fail() {
  echo "$E2E_NAME: FAILED at: $STEP — $*"
  echo "----- screen -----"; screen || true; echo "------------------"
  exit 1
}
# wait_for TEXT: poll the screen until it shows TEXT (fixed string).
wait_for() {
  local deadline=$((SECONDS + TIMEOUT))
  while (( SECONDS < deadline )); do
    if screen | grep -qF -- "$1"; then return 0; fi
    sleep 0.1
  done
  fail "did not see '$1' within ${TIMEOUT}s"
}
# wait_gone TEXT: poll until the screen no longer shows TEXT.
wait_gone() {
  local deadline=$((SECONDS + TIMEOUT))
  while (( SECONDS < deadline )); do
    if ! screen | grep -qF -- "$1"; then return 0; fi
    sleep 0.1
  done
  fail "still seeing '$1' after ${TIMEOUT}s"
}
# wait_closed: poll until the debugger has left the alternate screen (keys sent before that
# would go to it).
wait_closed() {
  local deadline=$((SECONDS + TIMEOUT))
  until [ "$(t display-message -p -t e2e '#{alternate_on}')" = "0" ]; do
    (( SECONDS < deadline )) || fail "the debugger did not quit within ${TIMEOUT}s"
    sleep 0.1
  done
}
