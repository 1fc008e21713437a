#!/usr/bin/env bash
# Hostile inputs through the built tool: every file of tests/hostile/expect.tsv
# (written by tests/hostile/make_hostile.py) through `modelconv inspect`,
# `modelconv scan` and, for the files that read, `modelconv inspect --json`
# (whose output must then parse as JSON), checking
#   - the exit code (never a signal: exit >= 128 fails loudly),
#   - exactly one line on stderr naming the file and containing the expected
#     text when the exit is 3; nothing on stderr otherwise,
#   - for scan exit 1, the unsafe/unknown global named on stdout,
#   - a wall-clock bound (timeout) and, when the tool is not built with
#     AddressSanitizer (which needs terabytes of address space), a memory
#     bound (ulimit -v).
# Environment: MODELCONV (the tool), MC_SOURCE_DIR; optional
# MC_HOSTILE_TIMEOUT (seconds, default 5; 15 under AddressSanitizer),
# MC_HOSTILE_VMEM_KB (default 2 GiB),
# MC_HOSTILE_ONLY (a substring: run only matching files).
set -u

: "${MODELCONV:?set MODELCONV to the built modelconv}"
: "${MC_SOURCE_DIR:?set MC_SOURCE_DIR to the source tree}"
DIR="$MC_SOURCE_DIR/tests/hostile"
TSV="$DIR/expect.tsv"
TIMEOUT="${MC_HOSTILE_TIMEOUT:-5}"
VMEM_KB="${MC_HOSTILE_VMEM_KB:-2097152}"
ONLY="${MC_HOSTILE_ONLY:-}"

# AddressSanitizer reserves ~20 TB of shadow memory: ulimit -v cannot apply;
# and it runs slower, so the time bound is tripled (unless set).
ASAN=0
if grep -aq -e __asan_init -e __hwasan_init "$MODELCONV" 2>/dev/null; then
    ASAN=1
    TIMEOUT="${MC_HOSTILE_TIMEOUT:-15}"
    echo "note: $MODELCONV is built with AddressSanitizer: no ulimit -v memory bound," \
        "${TIMEOUT}s time bound"
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

failures=0
checked=0
fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

# run TAG ARGS...: the tool with the bounds; stdout, stderr and the exit
# code go to $TMP/TAG.out, .err, .rc (run in the background for speed)
run() {
    local tag=$1
    shift
    (
        if [ "$ASAN" = 0 ]; then ulimit -v "$VMEM_KB"; fi
        exec timeout -k 2 "$TIMEOUT" "$MODELCONV" "$@"
    ) >"$TMP/$tag.out" 2>"$TMP/$tag.err"
    echo $? >"$TMP/$tag.rc"
}

# check TAG FILE WHAT EXPECTED_RC SUBSTRING
check() {
    local tag=$1 file=$2 what=$3 expected=$4 sub=$5
    local path="$DIR/files/$file"
    rc=$(cat "$TMP/$tag.rc")
    cp "$TMP/$tag.out" "$TMP/out"
    cp "$TMP/$tag.err" "$TMP/err"
    if [ "$rc" -ge 124 ]; then
        if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
            fail "$what $file: timed out after ${TIMEOUT}s (exit $rc)"
        else
            fail "$what $file: killed by signal $((rc - 128)) (exit $rc)"
        fi
        sed 's/^/    /' "$TMP/err" | head -20
        return
    fi
    if [ "$rc" != "$expected" ]; then
        fail "$what $file: exit $rc, expected $expected"
        sed 's/^/    stderr: /' "$TMP/err" | head -5
        return
    fi
    local lines
    lines=$(wc -l <"$TMP/err")
    if [ "$expected" = 3 ]; then
        if [ "$lines" != 1 ]; then
            fail "$what $file: $lines lines on stderr, expected exactly 1"
            sed 's/^/    stderr: /' "$TMP/err" | head -5
            return
        fi
        if ! grep -qF -- "$path" "$TMP/err"; then
            fail "$what $file: the stderr line does not name the file"
            sed 's/^/    stderr: /' "$TMP/err"
        fi
        if [ "$sub" != "-" ] && ! grep -qF -- "$sub" "$TMP/err"; then
            fail "$what $file: stderr lacks '$sub'"
            sed 's/^/    stderr: /' "$TMP/err"
        fi
    else
        if [ "$lines" != 0 ] || [ -s "$TMP/err" ]; then
            fail "$what $file: exit $rc but something on stderr"
            sed 's/^/    stderr: /' "$TMP/err" | head -5
        fi
        if [ "$expected" = 1 ] && [ "$sub" != "-" ] && ! grep -qF -- "$sub" "$TMP/out"; then
            fail "$what $file: stdout lacks '$sub'"
        fi
    fi
}

[ -f "$TSV" ] || { echo "missing $TSV"; exit 1; }
while IFS=$'\t' read -r file inspect_rc scan_rc inspect_sub scan_sub; do
    case "$file" in '#'* | '') continue ;; esac
    if [ -n "$ONLY" ] && [[ "$file" != *"$ONLY"* ]]; then continue; fi
    path="$DIR/files/$file"
    if [ ! -f "$path" ]; then
        fail "$file: listed in expect.tsv but missing"
        continue
    fi
    checked=$((checked + 1))

    # inspect and scan side by side; --json reads the same way as inspect
    # (what differs is printing), so only for the files that read
    run i inspect "$path" &
    run s scan "$path" &
    wait
    check i "$file" inspect "$inspect_rc" "$inspect_sub"
    check s "$file" scan "$scan_rc" "$scan_sub"
    if [ "$inspect_rc" = 0 ]; then
        run j inspect --json "$path"
        check j "$file" "inspect --json" "$inspect_rc" "$inspect_sub"
        if [ "$rc" = 0 ]; then
            mkdir -p "$TMP/json"
            cp "$TMP/j.out" "$TMP/json/$file.json"
        fi
    fi
done <"$TSV"

# the JSON outputs must parse (one Python for all of them; skipped without it)
if [ -d "$TMP/json" ] && command -v python3 >/dev/null 2>&1; then
    bad=$(python3 - "$TMP/json" <<'EOF'
import json, os, sys
sys.setrecursionlimit(100000)
d = sys.argv[1]
for name in sorted(os.listdir(d)):
    try:
        with open(os.path.join(d, name)) as f:
            json.load(f)
    except Exception as e:
        print("%s: %s" % (name[:-5], str(e)[:200]))
EOF
    )
    if [ -n "$bad" ]; then
        while IFS= read -r line; do fail "inspect --json $line"; done <<<"$bad"
    fi
fi

if [ "$checked" = 0 ]; then
    echo "FAIL: no files checked"
    exit 1
fi
echo "$checked hostile files checked, $failures failures"
[ "$failures" = 0 ]
