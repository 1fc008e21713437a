#!/usr/bin/env bash
# Every corpus file: `inspect` and `inspect --json` succeed and the JSON names
# the class and scikit-learn version the generator recorded; `scan` finds
# only safe globals in real scikit-learn files; usage errors exit 2 and
# unreadable files exit 3 with one line on stderr.
set -u
: "${MODELCONV:?}" "${MC_SOURCE_DIR:?}"
corpus="$MC_SOURCE_DIR/samples/corpus"
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

n=0
while IFS=$'\t' read -r path kind format protocol compressor cls skv npv jlv dir; do
  [ "$path" = path ] && continue
  f="$corpus/$path"
  n=$((n + 1))
  "$MODELCONV" inspect "$f" > /dev/null 2> /tmp/mc_err.$$ || fail "inspect $path: $(cat /tmp/mc_err.$$)"
  json=$("$MODELCONV" inspect --json "$f" 2> /tmp/mc_err.$$) || fail "inspect --json $path: $(cat /tmp/mc_err.$$)"
  if [ "$kind" = model ]; then
    grep -qF "\"estimator\": \"$cls\"" <<< "$json" || fail "$path: estimator is not $cls"
    grep -qF "\"sklearn_version\": \"$skv\"" <<< "$json" || fail "$path: sklearn_version is not $skv"
  fi
  grep -qF "\"compressor\": \"$compressor\"" <<< "$json" || fail "$path: compressor is not $compressor"
  "$MODELCONV" scan "$f" > /tmp/mc_out.$$ 2>&1 || fail "scan $path: exit $? $(tail -1 /tmp/mc_out.$$)"
done < "$corpus/manifest.tsv"
[ "$n" -gt 1000 ] || fail "only $n corpus files"

expect_exit() {
  want=$1; shift
  "$MODELCONV" "$@" > /dev/null 2> /tmp/mc_err.$$
  got=$?
  [ "$got" -eq "$want" ] || fail "modelconv $*: exit $got, expected $want"
  if [ "$want" -ne 0 ]; then
    lines=$(wc -l < /tmp/mc_err.$$)
    [ "$lines" -eq 1 ] || fail "modelconv $*: $lines lines on stderr"
  fi
}
expect_exit 2 inspect
expect_exit 2 inspect --bogus "$corpus/manifest.tsv"
expect_exit 2 frobnicate
expect_exit 3 inspect /nonexistent/file.pkl
expect_exit 3 inspect "$corpus/manifest.tsv"
expect_exit 3 scan /nonexistent/file.pkl
expect_exit 0 --help
expect_exit 0 inspect --help
grep -q "no such file\|cannot open" /tmp/mc_err.$$ 2>/dev/null || true
"$MODELCONV" inspect /nonexistent/file.pkl 2>&1 | grep -q "^modelconv: /nonexistent/file.pkl: cannot open" \
  || fail "missing file message"

rm -f /tmp/mc_err.$$ /tmp/mc_out.$$
[ "$fails" -eq 0 ] && echo "ok: $n corpus files" || { echo "$fails failures"; exit 1; }
