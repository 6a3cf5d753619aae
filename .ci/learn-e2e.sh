#!/usr/bin/env bash
# End-to-end test of `statescope learn` in a real terminal: tmux runs lesson 5 (ResultPath) at
# 120x40 with a fresh state directory; we read the lesson pane, ask for a hint, save a partial
# fix of the working copy (the pane lists what still differs), then the solution (✓), quit,
# and check the progress was kept and the shipped lesson left untouched. Every wait polls
# with a timeout; any failure prints the screen and exits 1.
# Usage: bash .ci/learn-e2e.sh   (from the repository root; builds the binary first)
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
TIMEOUT=${E2E_TIMEOUT:-15}   # seconds per wait

E2E_NAME=learn-e2e

WORK=$(mktemp -d)
STATE="$WORK/state"
SOCKET="statescope-learn-e2e-$$"
source "$ROOT/.ci/tmux-lib.sh"
LESSON="$ROOT/sample-machines/lessons/05-result-path"
COPY="$STATE/lessons/05-result-path/05-result-path.asl.json"
cp "$LESSON/05-result-path.asl.json" "$WORK/shipped.json"

cleanup() { t kill-server >/dev/null 2>&1 || true; rm -rf "$WORK" 2>/dev/null || true; }
trap cleanup EXIT

# Save like an editor does: write a new file, rename it over the old one.
save_as_editor() { cp "$1" "$WORK/.tmp-save"; mv "$WORK/.tmp-save" "$COPY"; }

STEP="start a shell"
t new-session -d -s e2e -x 120 -y 40 "env -i PATH=$PATH HOME=$WORK STATESCOPE_STATE_DIR=$STATE TERM=tmux-256color HISTFILE=/dev/null PS1='E2E-PROMPT\$ ' bash --norc --noprofile -i"
wait_for 'E2E-PROMPT$'

STEP="learn lists the lessons, none solved"
keys "cd $WORK && $BIN learn" Enter
wait_for "ResultPath: merge, replace, discard"
wait_for "0 of 18 solved."

STEP="learn 5 opens the lesson on a working copy"
keys "clear; $BIN learn 5" Enter
wait_for "Lesson 5 · ResultPath: merge, replace, discard"
wait_for "ResultPath says where a state's result goes in its input."
wait_for "Goal: Keep the order"
wait_for "Not yet: 2 thing(s) differ"
wait_for "h: hint (3 left)"
[ -f "$COPY" ] || fail "no working copy at $COPY"

STEP="h shows the first hint"
keys h
wait_for "Hint 1 of 3: Step through Check stock"
wait_for "h: hint (2 left)"

STEP="a partial fix: the pane lists what still differs"
sed 's|function:check-stock",|function:check-stock", "ResultPath": "$.stock",|' "$WORK/shipped.json" > "$WORK/partial.json"
save_as_editor "$WORK/partial.json"
wait_for "• 'Write audit log' has no ResultPath yet"
wait_gone "ResultPath says where a state's result goes in its input."

STEP="the solution: ✓"
save_as_editor "$LESSON/solution.asl.json"
wait_for "✓ Solved!"
wait_for "✓ lesson 5 solved!"
wait_gone "Not yet:"

STEP="c runs the solved machine to its end"
keys c
wait_for "SUCCEEDED"

STEP="q quits; the progress is kept"
keys q
wait_closed
grep -qF '"05-result-path"' "$STATE/progress.json" || fail "progress.json does not record lesson 5"
keys "clear; $BIN learn" Enter
wait_for "1 of 18 solved."
screen | grep -q '^✓  5\. ResultPath' || fail "the list does not tick lesson 5"

STEP="learn 5 again keeps the learner's work; --reset starts over"
keys "clear; $BIN learn 5" Enter
wait_for "✓ Solved!"
keys q
wait_closed
keys "clear; $BIN learn 5 --reset" Enter
wait_for "Not yet: 2 thing(s) differ"
keys q
wait_closed
cmp -s "$WORK/shipped.json" "$COPY" || fail "--reset did not restore the starting definition"

STEP="a lesson whose mock answers a state the starting file lacks opens (lesson 18)"
keys "clear; $BIN learn 18" Enter
wait_for "Lesson 18 · The history quota"
keys c
wait_for "FAILED"
keys q
wait_closed

STEP="the shipped lesson is untouched"
cmp -s "$WORK/shipped.json" "$LESSON/05-result-path.asl.json" || fail "the repository's lesson file changed"

echo "learn-e2e: all checks passed"
