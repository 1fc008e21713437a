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
runs=${RUNS:-5}
. "$here/lib.sh"   # repo, data, build, venv; bench_venv, bench_modelconv, bench_models

bench_venv         # bench/.venv exactly as requirements.txt says; sets py
bench_modelconv    # Release build in bench/build (or $MODELCONV); sets modelconv, tag
# the inflate probe beside it
cc -std=c11 -O2 -Wall -Wextra -pthread -o "$build/inflate" "$here/inflate.c" -lz -ldeflate
bench_models       # make_models.py if a model file is missing (~1.5 min)

# ---- measure ------------------------------------------------------------------
mkdir -p "$here/results"
"$py" "$here/bench.py" --modelconv "$modelconv" --python "$py" \
    --inflate "$build/inflate" --runs "$runs" --gap "${GAP:-0}" \
    --out "$here/results/$(date +%F)-read$tag${GAP:+-gap$GAP}.md" \
    "$data/rf_big.joblib" "$data/rf_big.z3.joblib"
