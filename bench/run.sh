#!/usr/bin/env bash
# Read benchmark: modelconv inspect vs joblib.load on the same files, in one
# run; raw inflate speed (zlib vs libdeflate) of the compressed file.
#
#   bench/run.sh                 # RUNS=5 measured runs per number
#   RUNS=3 DATA=/big/disk bench/run.sh
#
# Env: RUNS (>=3, default 5), DATA (model directory, default bench/data),
#      PYTHON (interpreter for the venv, default python3.11, else python3),
#      GAP (seconds slept before every measured run, default 0; 4 measures a
#      cold start on this VM, see README), JOBS (build jobs), MODELCONV
#      (measure this binary instead of building one, e.g. an experimental
#      build) and TAG (appended to the results file name; default "custom"
#      when MODELCONV is set).
# Output: a table on stdout, the same in bench/results/<date>-read.md, raw
# numbers beside it in <date>-read.json.  Nothing here runs in CI.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
runs=${RUNS:-5}
data=${DATA:-$here/data}
build="$here/build"
venv="$here/.venv"
python=${PYTHON:-python3.11}
command -v "$python" >/dev/null || python=python3

# ---- Python side: bench/.venv exactly as requirements.txt says --------------
pins() { grep -v '^#' "$1" | grep -v '^$' | tr 'A-Z' 'a-z' | sort; }
venv_ok() {
    [ -x "$venv/bin/python" ] &&
        [ "$(pins "$here/requirements.txt")" = \
          "$("$venv/bin/python" -m pip freeze --disable-pip-version-check 2>/dev/null | tr 'A-Z' 'a-z' | sort)" ]
}
if ! venv_ok; then
    echo "== bench/.venv: creating from requirements.txt" >&2
    rm -rf "$venv"
    "$python" -m venv "$venv"
    "$venv/bin/python" -m pip install --disable-pip-version-check -q -r "$here/requirements.txt"
    venv_ok || { echo "run.sh: bench/.venv does not match requirements.txt" >&2; exit 1; }
fi
py="$venv/bin/python"

# ---- C side: modelconv (Release) and the inflate probe ---------------------
mkdir -p "$build"
if [ -n "${MODELCONV:-}" ]; then
    modelconv=$MODELCONV
    tag="-${TAG:-custom}"
else
    echo "== build (Release) in bench/build" >&2
    cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >&2
    cmake --build "$build" --target modelconv ${JOBS:+-j "$JOBS"} >&2
    modelconv="$build/modelconv"
    tag=${TAG:+-$TAG}
fi
cc -std=c11 -O2 -Wall -Wextra -pthread -o "$build/inflate" "$here/inflate.c" -lz -ldeflate

# ---- the models (made once; ~1.5 min of fitting) ---------------------------
if [ ! -f "$data/rf_big.joblib" ] || [ ! -f "$data/rf_big.z3.joblib" ]; then
    echo "== making the models in $data" >&2
    "$py" "$here/make_models.py" "$data" >&2
fi

# ---- measure ------------------------------------------------------------------
mkdir -p "$here/results"
"$py" "$here/bench.py" --modelconv "$modelconv" --python "$py" \
    --inflate "$build/inflate" --runs "$runs" --gap "${GAP:-0}" \
    --out "$here/results/$(date +%F)-read$tag${GAP:+-gap$GAP}.md" \
    "$data/rf_big.joblib" "$data/rf_big.z3.joblib"
