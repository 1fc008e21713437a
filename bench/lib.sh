# Shared steps of bench/run.sh and bench/convert/run.sh (sourced, not run).
#
#   . bench/lib.sh        # sets bench, repo, data, build, venv
#   bench_venv            # bench/.venv exactly as requirements.txt; sets py
#   bench_modelconv       # Release modelconv in bench/build, or $MODELCONV;
#                         # sets modelconv, and tag ("-$TAG", "-custom" or "")
#   bench_models          # bench/data/rf_big{,.z3}.joblib etc. via make_models.py
#
# Env: DATA (model directory, default bench/data), PYTHON (interpreter for the
# venv, default python3.11, else python3), JOBS (build jobs), MODELCONV (use
# this binary instead of building one), TAG.
bench=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$bench/.." && pwd)
data=${DATA:-$bench/data}
build="$bench/build"
venv="$bench/.venv"

_bench_pins() { grep -v '^#' "$1" | grep -v '^$' | tr 'A-Z' 'a-z' | sort; }
_bench_venv_ok() {
    [ -x "$venv/bin/python" ] &&
        [ "$(_bench_pins "$bench/requirements.txt")" = \
          "$("$venv/bin/python" -m pip freeze --disable-pip-version-check 2>/dev/null | tr 'A-Z' 'a-z' | sort)" ]
}

bench_venv() {
    local python=${PYTHON:-python3.11}
    command -v "$python" >/dev/null || python=python3
    if ! _bench_venv_ok; then
        echo "== bench/.venv: creating from requirements.txt" >&2
        rm -rf "$venv"
        "$python" -m venv "$venv"
        "$venv/bin/python" -m pip install --disable-pip-version-check -q -r "$bench/requirements.txt"
        _bench_venv_ok || { echo "bench: bench/.venv does not match requirements.txt" >&2; return 1; }
    fi
    py="$venv/bin/python"
}

bench_modelconv() {
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
}

bench_models() {
    if [ ! -f "$data/rf_big.joblib" ] || [ ! -f "$data/rf_big.z3.joblib" ] ||
       [ ! -f "$data/rf_big.probe.npy" ]; then
        echo "== making the models in $data (~1.5 min)" >&2
        "$py" "$bench/make_models.py" "$data" >&2
    fi
}
