#!/usr/bin/env bash
# Regenerate samples/corpus/ from real scikit-learn, in two pinned virtualenvs
# (<repo>/.venv/sk12 and <repo>/.venv/current), then verify it and write
# samples/corpus/manifest.tsv.  Safe to re-run: the corpus is wiped first and
# existing venvs are reused only while they match their requirements file.
#
#   samples/make_corpus.sh            # needs python3.11 on PATH (or PYTHON=...)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
corpus="$here/corpus"
python=${PYTHON:-python3.11}
command -v "$python" >/dev/null || python=python3

# scikit-learn 1.2.2 / numpy 1.24.4 have no wheels past CPython 3.11, and the
# Python version decides joblib's default pickle protocol (4 up to 3.13).
if ! "$python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
    echo "make_corpus.sh: need Python 3.11 (set PYTHON=/path/to/python3.11)" >&2
    exit 1
fi

pins() { grep -v '^#' "$1" | grep -v '^$' | tr 'A-Z' 'a-z' | sort; }

# make_venv NAME REQUIREMENTS: create or reuse .venv/NAME holding exactly REQUIREMENTS.
make_venv() {
    local venv="$repo/.venv/$1" req="$here/$2" attempt
    for attempt in reuse fresh; do
        if [ "$attempt" = fresh ] || [ ! -x "$venv/bin/python" ]; then
            rm -rf "$venv"
            "$python" -m venv "$venv"
        fi
        "$venv/bin/python" -m pip install --disable-pip-version-check -q -r "$req"
        if [ "$(pins "$req")" = "$("$venv/bin/python" -m pip freeze | tr 'A-Z' 'a-z' | sort)" ]; then
            return 0
        fi
        echo "make_corpus.sh: $venv differs from $2, recreating" >&2
    done
    echo "make_corpus.sh: $venv still differs from $2:" >&2
    diff <(pins "$req") <("$venv/bin/python" -m pip freeze | tr 'A-Z' 'a-z' | sort) >&2 || true
    exit 1
}

make_venv sk12 requirements-sk12.txt
make_venv current requirements-current.txt

rm -rf "$corpus"
mkdir -p "$corpus"
for env in sk12 current; do
    py="$repo/.venv/$env/bin/python"
    echo "== $env: generate"
    "$py" "$here/make_corpus.py" generate "$corpus"
    echo "== $env: verify"
    "$py" "$here/make_corpus.py" verify "$corpus"
done
echo "== legacy joblib files (sk12 venv)"
"$repo/.venv/sk12/bin/python" "$here/make_corpus.py" legacy "$corpus"
echo "== manifest"
"$repo/.venv/current/bin/python" "$here/make_corpus.py" manifest "$corpus"
du -sh --apparent-size "$corpus"
