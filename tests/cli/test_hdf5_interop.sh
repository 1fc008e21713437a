#!/usr/bin/env bash
# h5py reads every archive modelconv writes: runs tests/python/test_hdf5_interop.py
# in a venv of tests/python/requirements.txt (exact pins), made under the build
# directory the first time (and again when the pins change).  Needs python3 and,
# for that first time, access to the package index.
# Environment: MODELCONV, MC_SOURCE_DIR, MC_BINARY_DIR; optional MC_PYTHON (the
# interpreter to make the venv with, default python3).
set -u
: "${MODELCONV:?}" "${MC_SOURCE_DIR:?}" "${MC_BINARY_DIR:?}"
req="$MC_SOURCE_DIR/tests/python/requirements.txt"
venv="$MC_BINARY_DIR/hdf5-interop-venv"
if ! cmp -s "$req" "$venv/requirements.txt" 2>/dev/null; then
    rm -rf "$venv"
    "${MC_PYTHON:-python3}" -m venv "$venv" || { echo "FAIL: cannot make a venv in $venv"; exit 1; }
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req" ||
        { echo "FAIL: cannot install $req"; rm -rf "$venv"; exit 1; }
    cp "$req" "$venv/requirements.txt"
fi
exec "$venv/bin/python" "$MC_SOURCE_DIR/tests/python/test_hdf5_interop.py" \
    --modelconv "$MODELCONV" --source "$MC_SOURCE_DIR"
