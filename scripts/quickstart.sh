#!/usr/bin/env bash
# Install dependencies, build, and run the main job on bundled samples: show
# what a real joblib file holds and check what its pickle would import.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
sample=samples/corpus/sk1.9.1/pipe_imp_scale_pca_rf/model.zlib.joblib
echo "== modelconv inspect $sample"
build/modelconv inspect "$sample"
echo
echo "== modelconv scan $sample"
build/modelconv scan "$sample"
