#!/usr/bin/env bash
# Hostile HDF5 archives through the built tool: every file of
# tests/hostile/hdf5/expect.tsv (written by make_hostile_h5.py) through
# `modelconv convert FILE OUT.h5`, checking
#   - exit 3 and exactly one line on stderr naming the file and containing the
#     expected text (exit 0 and no output for the files marked OK),
#   - that no output file is left behind when the read fails,
#   - a wall-clock bound (timeout) and, when the tool is not built with
#     AddressSanitizer, a memory bound (ulimit -v).
# Environment: MODELCONV, MC_SOURCE_DIR; optional MC_HOSTILE_TIMEOUT (seconds,
# default 5), MC_HOSTILE_VMEM_KB (default 1 GiB).
set -u
: "${MODELCONV:?}" "${MC_SOURCE_DIR:?}"
DIR="$MC_SOURCE_DIR/tests/hostile/hdf5"
TIMEOUT="${MC_HOSTILE_TIMEOUT:-5}"
VMEM_KB="${MC_HOSTILE_VMEM_KB:-1048576}"
ASAN=0
grep -aq -e __asan_init "$MODELCONV" 2>/dev/null && ASAN=1
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fails=0 checked=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

while IFS=$'\t' read -r file msg where; do
    case "$file" in '#'* | '') continue ;; esac
    path="$DIR/files/$file"
    [ -f "$path" ] || { fail "$file: listed but missing"; continue; }
    checked=$((checked + 1))
    (
        if [ "$ASAN" = 0 ]; then ulimit -v "$VMEM_KB"; fi
        exec timeout -k 2 "$TIMEOUT" "$MODELCONV" convert "$path" "$TMP/out.h5"
    ) >"$TMP/stdout" 2>"$TMP/stderr"
    rc=$?
    if [ "$msg" = OK ]; then
        [ "$rc" = 0 ] || fail "$file: exit $rc, expected 0: $(head -c 300 "$TMP/stderr")"
        rm -f "$TMP/out.h5"
        continue
    fi
    if [ "$rc" != 3 ]; then
        fail "$file: exit $rc, expected 3: $(head -c 300 "$TMP/stderr")"
    elif [ "$(wc -l <"$TMP/stderr")" != 1 ]; then
        fail "$file: $(wc -l <"$TMP/stderr") lines on stderr, expected 1"
    elif ! grep -qF -- "$path" "$TMP/stderr" || ! grep -qF -- "$msg" "$TMP/stderr"; then
        fail "$file: stderr '$(cat "$TMP/stderr")' lacks the file or '$msg'"
    fi
    [ ! -e "$TMP/out.h5" ] || fail "$file: an output file was left behind"
    ls "$TMP" | grep -q tmp- && fail "$file: a temporary file was left behind"
    rm -f "$TMP"/out.h5*
done <"$DIR/expect.tsv"

[ "$checked" -ge 20 ] || fail "only $checked files checked"
echo "$checked hostile HDF5 files checked, $fails failures"
[ "$fails" = 0 ]
