#!/usr/bin/env bash
# modelconv convert end to end: a joblib model converts to an HDF5 archive
# that predicts exactly what the original does; converting the archive again
# gives the same bytes; the input is never overwritten, an existing OUT only
# with --force; failures exit 2/3/4 with one line and leave no file behind.
set -u
: "${MODELCONV:?}" "${MC_SOURCE_DIR:?}"
corpus="$MC_SOURCE_DIR/samples/corpus"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

src=$corpus/sk1.2.2/gbc_multiclass
"$MODELCONV" convert "$src/model.lzma.joblib" "$tmp/m.h5" 2> "$tmp/err" || fail "convert: exit $?"
[ -s "$tmp/err" ] && fail "convert printed on stderr without a terminal: $(cat "$tmp/err")"
for method in predict predict_proba decision_function; do
  "$MODELCONV" predict "$tmp/m.h5" "$src/X.npy" --method $method -o "$tmp/h5.npy" || fail "predict h5 $method"
  cmp -s "$tmp/h5.npy" "$src/$method.npy" || fail "$method from the .h5 differs from scikit-learn's"
done
"$MODELCONV" convert "$tmp/m.h5" "$tmp/again.h5" || fail "convert h5 -> h5: exit $?"
cmp -s "$tmp/m.h5" "$tmp/again.h5" || fail ".h5 -> model -> .h5 is not byte-identical"
"$MODELCONV" convert "$src/model.lzma.joblib" "$tmp/none.h5" --compress none || fail "--compress none"
"$MODELCONV" convert "$src/model.lzma.joblib" "$tmp/d9.h5" --compress deflate:9 || fail "deflate:9"
for f in none d9; do
  "$MODELCONV" predict "$tmp/$f.h5" "$src/X.npy" --method predict_proba -o "$tmp/$f.npy" || fail "$f.h5"
  cmp -s "$tmp/$f.npy" "$src/predict_proba.npy" || fail "$f.h5 predicts differently"
done
"$MODELCONV" convert "$src/model.p4.pkl" "$tmp/model.bin" --to hdf5 || fail "--to hdf5"
"$MODELCONV" inspect "$tmp/model.bin" > /dev/null 2>&1 && fail "inspect reads an HDF5 file as a pickle"

expect() { # exit-code needle args...
  local want=$1 needle=$2; shift 2
  "$MODELCONV" "$@" > /dev/null 2> "$tmp/err"
  local got=$?
  [ "$got" -eq "$want" ] || fail "modelconv $*: exit $got, expected $want ($(cat "$tmp/err"))"
  [ "$(wc -l < "$tmp/err")" -eq 1 ] || fail "modelconv $*: not one line on stderr"
  grep -q -- "$needle" "$tmp/err" || fail "modelconv $*: message lacks '$needle': $(cat "$tmp/err")"
}
cp "$src/model.p4.pkl" "$tmp/in.pkl"
expect 2 "exists; use --force" convert "$tmp/in.pkl" "$tmp/m.h5"
"$MODELCONV" convert "$tmp/in.pkl" "$tmp/m.h5" --force || fail "--force"
expect 2 "refusing to overwrite" convert "$tmp/in.pkl" "$tmp/in.pkl" --force
expect 2 "refusing to overwrite" convert "$tmp/in.pkl" "$tmp/./in.pkl" --to hdf5 --force
cmp -s "$tmp/in.pkl" "$src/model.p4.pkl" || fail "the input changed"
expect 2 "cannot tell the format" convert "$tmp/in.pkl" "$tmp/out.xyz"
expect 2 "not supported yet" convert "$tmp/in.pkl" "$tmp/out.onnx"
expect 2 "compress takes" convert "$tmp/in.pkl" "$tmp/x.h5" --compress zstd
expect 3 "cannot open" convert "$tmp/missing.pkl" "$tmp/x.h5"
expect 3 "refusing global posix.system" convert \
  "$MC_SOURCE_DIR/tests/hostile/files/rce_os_system_p4.pkl" "$tmp/x.h5"
expect 4 "cannot create" convert "$tmp/in.pkl" "$tmp/no/dir/x.h5"
ls "$tmp" | grep -q tmp- && fail "a temporary file was left behind"
[ -e "$tmp/x.h5" ] && fail "a failed conversion left its output"

[ "$fails" -eq 0 ] && echo ok || { echo "$fails failures"; exit 1; }
