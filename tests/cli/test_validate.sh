#!/usr/bin/env bash
# modelconv validate end to end: faithful models exit 0; the altered copies
# of tests/data/validate (made by tests/data/make_altered_models.py) exit 1
# with one line per difference naming it precisely; --json gives one object;
# usage errors exit 2, unreadable inputs 3 with one line on stderr.
set -u
: "${MODELCONV:?}" "${MC_SOURCE_DIR:?}"
corpus="$MC_SOURCE_DIR/samples/corpus"
altered="$MC_SOURCE_DIR/tests/data/validate"
original="$corpus/sk1.9.1/rf_clf_str/model.p4.pkl"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

run() { # expected-exit args...: stdout in $tmp/out, stderr in $tmp/err
  local want=$1; shift
  "$MODELCONV" validate "$@" > "$tmp/out" 2> "$tmp/err"
  local got=$?
  [ "$got" -eq "$want" ] || fail "validate $*: exit $got, expected $want ($(head -c 300 "$tmp/err"))"
}
has_line() { # exact stdout line
  grep -qxF -- "$1" "$tmp/out" || fail "validate: no line '$1' in: $(head -c 400 "$tmp/out")"
}

# faithful: one model's round trips, two files of one model, given probe rows
for m in sk1.9.1/rf_clf sk1.2.2/gbc_multiclass sk1.9.1/pipe_imp_scale_pca_rf sk1.9.1/std_scaler; do
  run 0 "$corpus/$m/model.p4.pkl"
  [ "$(tail -n 1 "$tmp/out")" = faithful ] || fail "$m round trips: $(cat "$tmp/out")"
  run 0 "$corpus/$m/model.p4.pkl" "$corpus/$m/model.p5.pkl"
  grep -q "^structure identical; .* identical on [0-9]* probe rows" "$tmp/out" \
    || fail "$m p4 vs p5: $(cat "$tmp/out")"
done
run 0 "$original" "$altered/same.pkl"
run 0 "$original" "$altered/same.pkl" --input "$corpus/sk1.9.1/rf_clf_str/X.npy"
grep -q "identical on 40 probe rows" "$tmp/out" || fail "--input rows not used: $(cat "$tmp/out")"

# each change found, one line per difference: PATH: expected E, found F
run 1 "$original" "$altered/threshold.pkl"
has_line "estimators_[3].tree_.threshold[8]: expected 1.3438514471054077, found 0.75"
grep -q "^predict_proba\[[0-9]*, [0-9]\]: expected .*, found " "$tmp/out" \
  || fail "threshold: no prediction difference listed"
[ "$(tail -n 1 "$tmp/out")" != faithful ] || fail "threshold: said faithful"
run 1 "$original" "$altered/threshold_ulp.pkl"
has_line "estimators_[1].tree_.threshold[0]: expected -1.5174065828323364, found -1.5174065828323362"
has_line "not faithful: 1 difference"
run 1 "$original" "$altered/dropped_tree.pkl"
has_line "estimators_: expected 5 trees, found 4 trees"
run 1 "$original" "$altered/class_label.pkl"
has_line "classes_[2]: expected 'emu', found 'elk'"
run 1 "$original" "$altered/param.pkl"
has_line "params.max_depth: expected 4, found 5"
has_line "not faithful: 1 difference"
# a long list is cut, and says how much was left out
run 1 "$original" "$altered/dropped_tree.pkl"
grep -q "^\.\.\. and [0-9]* more like these$" "$tmp/out" || fail "dropped_tree: list not bounded"

# --json: one object with the files, the differences and the verdict
run 1 --json "$original" "$altered/param.pkl"
for needle in '"files": [' '"formats_tried": [' '"path": "params.max_depth"' '"expected": "4"' \
  '"found": "5"' '"method": "predict_proba"' '"total_differences": 1' '"verdict": "not faithful"'; do
  grep -qF -- "$needle" "$tmp/out" || fail "--json lacks $needle"
done
[ "$(head -c 1 "$tmp/out")" = "{" ] && [ "$(tail -n 1 "$tmp/out")" = "}" ] || fail "--json: not one object"
run 0 --json "$corpus/sk1.9.1/rf_clf/model.p4.pkl"
grep -qF '"verdict": "faithful"' "$tmp/out" || fail "--json round trips: $(cat "$tmp/out")"

# usage (2) and unreadable inputs (3): one line on stderr
expect() { # exit needle args...
  local want=$1 needle=$2; shift 2
  run "$want" "$@"
  [ "$(wc -l < "$tmp/err")" -eq 1 ] || fail "validate $*: not one line on stderr: $(cat "$tmp/err")"
  grep -q -- "$needle" "$tmp/err" || fail "validate $*: message lacks '$needle': $(cat "$tmp/err")"
}
expect 2 "FILE is required"
expect 2 "unknown option '--frobnicate'" "$original" --frobnicate
expect 2 "unexpected argument" "$original" "$original" "$original"
expect 2 "needs a file" "$original" --input
expect 2 "5 features" "$corpus/sk1.9.1/std_scaler/model.p4.pkl" \
  --input "$MC_SOURCE_DIR/tests/data/predict/X_short.npy"
expect 3 "no/such/model.pkl" "$tmp/no/such/model.pkl"
expect 3 "no/such/other.pkl" "$original" "$tmp/no/such/other.pkl"
expect 3 "plain data" "$corpus/sk1.9.1/data/numeric_dict/data.p4.pkl"
expect 3 "not a number" "$original" --input "$corpus/sk1.9.1/std_scaler/info.txt"
"$MODELCONV" validate --help | grep -q "usage: modelconv validate" || fail "--help"

[ "$fails" -eq 0 ] && echo ok || { echo "$fails failures"; exit 1; }
