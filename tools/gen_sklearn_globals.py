#!/usr/bin/env python3
"""Generate converters/pickle/sklearn_globals.inc, the allow-list of
scikit-learn globals a pickle may name.

Usage:
    python3 tools/gen_sklearn_globals.py PYTHON [PYTHON ...] [-o OUTPUT]

Each PYTHON is an interpreter with scikit-learn installed (e.g. the venvs
that samples/make_corpus.sh creates, plus throwaway ones for other
releases).  This script re-runs itself in each of them with --collect, then
writes the sorted, deduplicated union.

Collected per scikit-learn version: every importable sklearn.* module
(tests, conftest, sklearn.externals, sklearn._build_utils,
sklearn.utils._testing and sklearn.utils.estimator_checks skipped, as is any
module that fails to import), and in it

  * every class defined there (obj.__module__ == module name), under each
    module attribute name bound to it: Python classes and Cython extension
    types alike (sklearn.tree._tree.Tree, sklearn._loss._loss.CyHalfBinomialLoss);
  * every Cython pickle helper function named __pyx_unpickle_*;
  * the few functions that scikit-learn's own fitted estimators pickle by
    reference (found by scanning the pickles of samples/corpus):
      - newObj, the Cython reconstructor named by BinaryTree.__reduce__
        (KDTree, BallTree: sklearn.neighbors._kd_tree / _ball_tree) and
        DistanceMetric.__reduce__ (sklearn.metrics._dist_metrics);
      - sklearn.utils.validation.check_array, held in a functools.partial by
        the FunctionTransformer inside HistGradientBoosting*._preprocessor
        when categorical features are used (scikit-learn >= 1.4).

Entries are sorted by (module, name) in byte order, so C code can
binary-search them with strcmp.
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "converters" / "pickle" / "sklearn_globals.inc"

SKIP_PREFIXES = (
    "sklearn.externals",
    "sklearn._build_utils",
    "sklearn.utils._testing",
    "sklearn.utils.estimator_checks",
)
SKIP_PARTS = {"tests", "conftest"}
# Functions pickled by reference (see the docstring): by name in any module,
# and by exact (module, name).
FUNCTION_NAMES = ("newObj",)
FUNCTIONS = (("sklearn.utils.validation", "check_array"),)


def _skipped(modname):
    if SKIP_PARTS.intersection(modname.split(".")):
        return True
    return any(modname == p or modname.startswith(p + ".") for p in SKIP_PREFIXES)


def collect():
    """Runs inside the target interpreter; prints JSON to stdout."""
    import importlib
    import pkgutil
    import warnings

    warnings.simplefilter("ignore")
    import sklearn

    entries = set()
    modules = ["sklearn"]
    # walk_packages imports the packages it descends into (tests packages
    # included: they only hold an empty __init__); modules are filtered here.
    for info in pkgutil.walk_packages(sklearn.__path__, "sklearn.", onerror=lambda name: None):
        if not _skipped(info.name):
            modules.append(info.name)
    failed = []
    for modname in modules:
        try:
            module = importlib.import_module(modname)
        except Exception as exc:  # optional dependency missing, etc.
            failed.append(f"{modname}: {type(exc).__name__}")
            continue
        for name, obj in list(vars(module).items()):
            if isinstance(obj, type) and obj.__module__ == modname:
                entries.add((modname, name))
            elif callable(obj) and (name.startswith("__pyx_unpickle_") or name in FUNCTION_NAMES
                                    or (modname, name) in FUNCTIONS):
                entries.add((modname, name))
    json.dump({"version": sklearn.__version__, "entries": sorted(entries), "failed": failed}, sys.stdout)


def _version_key(v):
    return tuple(int(p) if p.isdigit() else 0 for p in v.split("."))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pythons", nargs="*", help="interpreters with scikit-learn installed")
    ap.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    ap.add_argument("--collect", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.collect:
        collect()
        return
    if not args.pythons:
        ap.error("give at least one interpreter")

    union, versions = set(), []
    for python in args.pythons:
        out = subprocess.run([python, __file__, "--collect"], check=True, capture_output=True, text=True).stdout
        result = json.loads(out)
        versions.append(result["version"])
        union.update(tuple(e) for e in result["entries"])
        print(f"scikit-learn {result['version']}: {len(result['entries'])} globals, "
              f"{len(result['failed'])} modules not importable", file=sys.stderr)
        for f in result["failed"]:
            print(f"    {f}", file=sys.stderr)

    versions = sorted(set(versions), key=_version_key)
    rows = sorted(union, key=lambda e: (e[0].encode(), e[1].encode()))
    lines = [
        f"/* Generated by tools/gen_sklearn_globals.py from scikit-learn {', '.join(versions)}. Do not edit. */",
        f"/* {len(rows)} entries: classes defined in sklearn.* modules, Cython __pyx_unpickle_* helpers, */",
        "/* newObj reconstructors and sklearn.utils.validation.check_array; */",
        "/* sorted by (module, name) in byte order (strcmp). */",
    ]
    lines += [f'MC_SKLEARN_GLOBAL("{m}", "{n}")' for m, n in rows]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text("\n".join(lines) + "\n", encoding="ascii")
    print(f"wrote {args.output}: {len(rows)} entries", file=sys.stderr)


if __name__ == "__main__":
    main()
