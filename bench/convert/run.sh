#!/usr/bin/env bash
# Conversion benchmark: `modelconv convert rf_big.joblib out.h5` against
# joblib.dump(compress=3), the compression levels, .h5 -> .h5, validate, and
# `modelconv predict` from the .h5 against from the .joblib, on one model in
# one run.  See README.md.
#
#   bench/convert/run.sh               # RUNS=5 rounds
#   RUNS=3 bench/convert/run.sh        # quicker, noisier (~5.5 min)
#   GAP=4 bench/convert/run.sh         # sleep 4 s before every run ("cold" memory)
#
# Env: RUNS (>=3, default 5), GAP (default 0), WORK (output directory, default
#      bench/data/convert: ~1.1 GB of outputs, same disk as the model), ROWS
#      (probe rows, default bench/data/rf_big.probe.npy), and the shared ones
#      of bench/lib.sh: DATA, PYTHON, JOBS, MODELCONV, TAG.
# Output: a table on stdout, the same in bench/convert/results/<date>-convert.md,
# every raw number beside it in <date>-convert.json.  Nothing here runs in CI.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"   # repo, data, build, venv; bench_venv, bench_modelconv, bench_models

bench_venv            # bench/.venv exactly as bench/requirements.txt; sets py
bench_modelconv       # Release modelconv in bench/build (or $MODELCONV); sets modelconv, tag
bench_models          # bench/make_models.py when a model file is missing (~1.5 min)

mkdir -p "$here/results"
"$py" "$here/convert.py" --modelconv "$modelconv" --python "$py" \
    --rows "${ROWS:-$data/rf_big.probe.npy}" --work "${WORK:-$data/convert}" \
    --runs "${RUNS:-5}" --gap "${GAP:-0}" \
    --out "$here/results/$(date +%F)-convert$tag${GAP:+-gap$GAP}.md" \
    "$data/rf_big.joblib"
