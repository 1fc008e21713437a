#!/usr/bin/env bash
# Install dependencies, build, and run the main job on a bundled sample: a
# real scikit-learn pipeline saved with joblib (compress=3) is inspected and
# scanned, converted to an HDF5 archive, predicted from both files, and the
# round trip validated (structure bit for bit, predictions equal).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
sample=samples/corpus/sk1.9.1/pipe_imp_scale_pca_rf
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
run() { echo; echo "\$ modelconv $*"; build/modelconv "$@"; }
run inspect "$sample/model.zlib.joblib"
run scan "$sample/model.zlib.joblib"
run convert "$sample/model.zlib.joblib" "$out/model.h5"
run predict "$out/model.h5" "$sample/X.npy" --method predict_proba -o "$out/proba.npy"
build/modelconv predict "$sample/model.zlib.joblib" "$sample/X.npy" --method predict_proba \
  -o "$out/proba_joblib.npy"
cmp "$out/proba.npy" "$out/proba_joblib.npy"
cmp "$out/proba.npy" "$sample/predict_proba.npy"
echo "predict_proba from the .h5 and from the joblib file: identical to scikit-learn's own output"
run validate "$sample/model.zlib.joblib"
