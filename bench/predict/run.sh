#!/usr/bin/env bash
# Prediction benchmark: scikit-learn (n_jobs=1) against modelconv on the
# same forests and rows, in one run.  See README.md.
#
#   bench/predict/run.sh                  # ROUNDS=3 rounds x RUNS=7 runs
#   ROUNDS=5 RUNS=11 bench/predict/run.sh
#
# Reuses bench/'s pinned venv (bench/requirements.txt) and its regression
# forest (bench/make_models.py); adds a Release build with the C driver
# (bench/build/predict), a classifier forest and the probe rows.  Nothing
# here runs in CI.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
bench=$(cd "$here/.." && pwd)
repo=$(cd "$bench/.." && pwd)
data=${DATA:-$bench/data}
build="$bench/build"
venv="$bench/.venv"
python=${PYTHON:-python3.11}
command -v "$python" >/dev/null || python=python3

# ---- Python: bench/.venv, exactly bench/requirements.txt ---------------------
pins() { grep -v '^#' "$1" | grep -v '^$' | tr 'A-Z' 'a-z' | sort; }
if [ ! -x "$venv/bin/python" ] || [ "$(pins "$bench/requirements.txt")" != \
     "$("$venv/bin/python" -m pip freeze --disable-pip-version-check 2>/dev/null | tr 'A-Z' 'a-z' | sort)" ]; then
    echo "== bench/.venv: creating from bench/requirements.txt" >&2
    rm -rf "$venv"
    "$python" -m venv "$venv"
    "$venv/bin/python" -m pip install --disable-pip-version-check -q -r "$bench/requirements.txt"
fi
py="$venv/bin/python"

# ---- C: modelconv and the driver, Release (bench/predict/CMakeLists.txt) ------
echo "== build (Release) in bench/build/predict" >&2
cmake -S "$here" -B "$build/predict" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >&2
cmake --build "$build/predict" --target predict_bench modelconv >&2
driver="$build/predict/predict_bench"
modelconv="$build/predict/modelconv/modelconv"

# ---- models and rows (made once) -----------------------------------------------
[ -f "$data/rf_big.joblib" ] || "$py" "$bench/make_models.py" "$data" >&2
[ -f "$data/rf_clf.joblib" ] || "$py" "$here/make_clf.py" "$data" >&2
rows="$data/predict_rows.npy"
[ -f "$rows" ] || "$py" -c "import numpy as np; np.save('$rows', np.random.RandomState(0).standard_normal((2000, 16)))"

# ---- measure ------------------------------------------------------------------------
mkdir -p "$here/results"
"$py" "$here/bench.py" --python "$py" --modelconv "$modelconv" \
    --driver "$driver" --rows "$rows" \
    --rounds "${ROUNDS:-3}" --runs "${RUNS:-7}" \
    --out "$here/results/$(date +%F)-predict${TAG:+-$TAG}.md" \
    "$data/rf_big.joblib:predict" "$data/rf_clf.joblib:predict_proba"
