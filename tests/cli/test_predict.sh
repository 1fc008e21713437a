#!/usr/bin/env bash
# modelconv predict end to end: outputs written as .npy are byte for byte
# what numpy saved of scikit-learn's own outputs (for the families computed
# bit-identically); every input form (CSV with header, Fortran order,
# big-endian) gives the same result; usage errors exit 2, unsupported models
# 3, unwritable outputs 4, and a failed write leaves no file behind.
set -u
: "${MODELCONV:?}" "${MC_SOURCE_DIR:?}"
corpus="$MC_SOURCE_DIR/samples/corpus"
data="$MC_SOURCE_DIR/tests/data/predict"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

same_as_sklearn() { # model-dir method file
  local dir=$corpus/$1 method=$2 file=$3
  "$MODELCONV" predict "$dir/$file" "$dir/X.npy" --method "$method" -o "$tmp/out.npy" \
    || { fail "$1 $method: exit $?"; return; }
  cmp -s "$tmp/out.npy" "$dir/$method.npy" || fail "$1/$file $method: differs from scikit-learn's $method.npy"
}
for v in sk1.2.2 sk1.9.1; do
  same_as_sklearn $v/std_scaler transform model.p4.pkl
  same_as_sklearn $v/minmax transform model.joblib
  same_as_sklearn $v/imputer_mean transform model.p5.pkl
  same_as_sklearn $v/rf_clf predict_proba model.joblib
  same_as_sklearn $v/rf_clf predict model.p4.pkl
  same_as_sklearn $v/rf_reg_multi predict model.joblib
  same_as_sklearn $v/gbr_huber predict model.p4.pkl
  same_as_sklearn $v/gbc_multiclass decision_function model.p4.pkl
  same_as_sklearn $v/hgb_reg_cat_nan predict model.joblib
  same_as_sklearn $v/dtc_float_labels predict model.p4.pkl
done

# every input form gives the same answer
model=$corpus/sk1.9.1/std_scaler/model.p4.pkl
"$MODELCONV" predict "$model" "$corpus/sk1.9.1/std_scaler/X.npy" --method transform > "$tmp/ref.csv" \
  || fail "csv to stdout"
[ "$(wc -l < "$tmp/ref.csv")" -eq 40 ] || fail "stdout CSV has $(wc -l < "$tmp/ref.csv") rows"
for input in X_header.csv X_fortran.npy X_bigendian.npy; do
  "$MODELCONV" predict "$model" "$data/$input" --method transform > "$tmp/got.csv" || fail "$input: exit $?"
  cmp -s "$tmp/ref.csv" "$tmp/got.csv" || fail "$input: result differs from X.npy's"
done
"$MODELCONV" predict "$model" "$data/X_float32.npy" --method transform -o "$tmp/f32.csv" \
  || fail "float32 input"
[ -s "$tmp/f32.csv" ] || fail "float32 input: no output"

expect() { # exit-code needle args...
  local want=$1 needle=$2; shift 2
  "$MODELCONV" "$@" > /dev/null 2> "$tmp/err"
  local got=$?
  [ "$got" -eq "$want" ] || fail "modelconv $*: exit $got, expected $want ($(cat "$tmp/err"))"
  [ "$(wc -l < "$tmp/err")" -eq 1 ] || fail "modelconv $*: not one line on stderr"
  grep -q -- "$needle" "$tmp/err" || fail "modelconv $*: message lacks '$needle': $(cat "$tmp/err")"
}
expect 2 "X has 5 features, but" predict "$model" "$data/X_short.npy" --method transform
expect 2 "has no method predict_proba" predict "$corpus/sk1.9.1/rf_reg/model.p4.pkl" \
  "$corpus/sk1.9.1/rf_reg/X.npy" --method predict_proba
expect 2 "unknown method" predict "$model" "$data/X_fortran.npy" --method frobnicate
expect 2 "must end in .npy or .csv" predict "$model" "$data/X_fortran.npy" -o "$tmp/out.txt"
expect 2 "MODEL and INPUT" predict "$model"
expect 3 "unsupported estimator sklearn.preprocessing._encoders.OneHotEncoder" predict \
  "$data/onehot.pkl" "$data/X_fortran.npy"
expect 3 "plain data" predict "$corpus/sk1.9.1/data/numeric_dict/data.p4.pkl" "$data/X_fortran.npy"
expect 3 "not a number" predict "$model" "$corpus/sk1.9.1/std_scaler/info.txt"
# a NUL byte inside a field ends the text, not the number (found reading
# src/io/matrix.c for tests/fuzz/fuzz_csv.c): "5<NUL>6" is not 5
printf '1,2,3,4,5,6\n1,2,3,4,5\0006,7\n' > "$tmp/nul.csv"
expect 3 "row 2, column 5 is not a number" predict "$model" "$tmp/nul.csv" --method transform
expect 4 "cannot create" predict "$model" "$data/X_fortran.npy" --method transform \
  -o "$tmp/no/such/dir/out.npy"
ls "$tmp"/no 2>/dev/null && fail "a failed write left something behind"
ls "$tmp" | grep -q tmp- && fail "a temporary file was left behind"

[ "$fails" -eq 0 ] && echo ok || { echo "$fails failures"; exit 1; }
