#!/usr/bin/env python3
"""Build the modelconv test corpus from real scikit-learn.

Run through samples/make_corpus.sh, which creates the pinned virtualenvs and
calls the sub-commands below in order:

  generate CORPUS   fit every model and dump every plain-data object with the
                    scikit-learn/numpy/joblib of the running interpreter, into
                    CORPUS/sk<sklearn version>/
  verify CORPUS     reload every file of CORPUS/sk<version>/ in this
                    interpreter and check it reproduces the saved outputs and
                    arrays.txt
  legacy CORPUS     copy the old joblib files shipped in joblib/test/data into
                    CORPUS/legacy/ and describe their arrays
  manifest CORPUS   write CORPUS/manifest.tsv (needs the lz4 package)

The file layout and every rule used here are documented in samples/README.md.
"""

import os
import sys

# Content must not depend on the machine or on the run: fix str hashing (set
# iteration order in the pickles) and the OpenMP/BLAS thread counts (KMeans
# pickles its `_n_threads`; BLAS reductions can round differently with more
# threads).  These must be in place before numpy is imported, so re-exec.
_FIXED_ENV = {
    "PYTHONHASHSEED": "0",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}
if any(os.environ.get(k) != v for k, v in _FIXED_ENV.items()):
    os.execve(sys.executable, [sys.executable] + sys.argv, {**os.environ, **_FIXED_ENV})

import bz2  # noqa: E402
import collections  # noqa: E402
import gzip  # noqa: E402
import lzma  # noqa: E402
import pickle  # noqa: E402
import pickletools  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import warnings  # noqa: E402
import zlib  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

PROTOCOLS = (2, 3, 4, 5)
# joblib compressors, in the order joblib registers them.
COMPRESSORS = ("zlib", "gzip", "bz2", "lzma", "xz", "lz4")
OUTPUT_METHODS = (
    "predict",
    "predict_proba",
    "predict_log_proba",
    "decision_function",
    "transform",
    "score_samples",
)
N_FEATURES = 6
N_PROBE = 40


# --------------------------------------------------------------------------
# Shared helpers (all sub-commands)
# --------------------------------------------------------------------------


def fnv1a64(data):
    h = 0xCBF29CE484222325
    for b in data:
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def array_lines(obj):
    """arrays.txt lines for every ndarray reachable from obj (README rule)."""
    lines = []

    def visit(v):
        if isinstance(v, np.ndarray):
            shape = ",".join(str(d) for d in v.shape)
            if v.dtype.hasobject:
                lines.append(f"{v.dtype.str}\t{shape}\t-")
                for item in v.flat:  # .flat walks C order whatever the layout
                    visit(item)
            else:
                le = np.ascontiguousarray(v.astype(v.dtype.newbyteorder("<")))
                lines.append(f"{v.dtype.str}\t{shape}\t{fnv1a64(le.tobytes()):016x}")
        elif isinstance(v, (list, tuple)):
            for item in v:
                visit(item)
        elif isinstance(v, dict):
            for item in v.values():
                visit(item)

    visit(obj)
    return lines


def write_text(path, lines):
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def read_info(path):
    info = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition("\t")
        info[key] = value
    return info


def versions():
    import joblib
    import sklearn

    return {
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "joblib_version": joblib.__version__,
    }


def dump_all(obj, directory, stem, protocols, compressors):
    """Write obj as <stem>.p<N>.pkl, <stem>.joblib (uncompressed, joblib's
    default protocol) and <stem>.<compressor>.joblib (level 3)."""
    import joblib

    for proto in protocols:
        with open(directory / f"{stem}.p{proto}.pkl", "wb") as f:
            pickle.dump(obj, f, protocol=proto)
    joblib.dump(obj, directory / f"{stem}.joblib")
    for comp in compressors:
        # compress=3 is joblib's spelling of zlib level 3.
        joblib.dump(obj, directory / f"{stem}.{comp}.joblib", compress=3 if comp == "zlib" else (comp, 3))


def load_any(path):
    import joblib

    if path.name.endswith(".pkl"):
        with open(path, "rb") as f:
            return pickle.load(f)
    return joblib.load(path)


# --------------------------------------------------------------------------
# Training and probe data.  numpy's legacy RandomState stream is frozen, so
# both environments fit on identical data.
# --------------------------------------------------------------------------


def _rs(seed):
    return np.random.RandomState(seed)


def _normal_x(seed, n, nf=N_FEATURES):
    rs = _rs(seed)
    scales = rs.uniform(0.5, 3.0, nf)
    offsets = rs.uniform(-2.0, 2.0, nf)
    return rs.normal(size=(n, nf)) * scales + offsets


def _labels(X, seed, n_classes):
    rs = _rs(seed)
    Z = (X - X.mean(0)) / X.std(0)
    logits = Z @ rs.normal(size=(X.shape[1], n_classes)) * 1.5
    return np.argmax(logits + rs.gumbel(size=logits.shape), axis=1)


def _target(X, seed, n_targets=1):
    rs = _rs(seed)
    Z = (X - X.mean(0)) / X.std(0)
    Y = Z @ rs.normal(size=(X.shape[1], n_targets)) * 3.0 + 1.0
    Y += rs.normal(scale=0.5, size=Y.shape)
    return Y[:, 0] if n_targets == 1 else Y


def _with_nans(X, seed, frac=0.1):
    rs = _rs(seed)
    X = X.copy()
    X[rs.uniform(size=X.shape) < frac] = np.nan
    return X


def _with_categories(X, seed, n_cats=(5, 3)):
    """Columns 0.. get integer categories (as float64) for HGB."""
    rs = _rs(seed)
    X = X.copy()
    for col, k in enumerate(n_cats):
        X[:, col] = rs.randint(0, k, X.shape[0])
    return X


CAT_COLS = (0, 1)


def make_datasets():
    d = {}
    X = _normal_x(1, 160)
    d["reg"] = (X, _target(X, 2))
    d["reg_multi"] = (X, _target(X, 3, n_targets=3))
    d["multiout_reg"] = (X, _target(X, 3, n_targets=2))
    lam = np.exp(0.4 * _target(X, 4) / 3.0)
    d["reg_poisson"] = (X, _rs(5).poisson(lam).astype(np.float64))
    d["reg_gamma"] = (X, lam * _rs(6).gamma(2.0, 0.5, size=lam.shape))

    Xb = _normal_x(11, 160)
    d["bin"] = (Xb, _labels(Xb, 12, 2))
    Xm = _normal_x(21, 180)
    ym = _labels(Xm, 22, 3)
    d["multi"] = (Xm, ym)
    d["multi_str"] = (Xm, np.array(["cat", "dog", "emu"])[ym])
    # Float labels must be integral: sklearn rejects non-integer floats as
    # 'continuous' targets for classifiers.
    d["multi_float"] = (Xm, np.array([-1.0, 2.0, 5.0])[ym])
    d["multiout_clf"] = (Xm, np.column_stack([ym, _labels(Xm, 23, 2)]))

    Xc = _rs(31).poisson(3.0, size=(160, N_FEATURES)).astype(np.float64)
    d["counts"] = (Xc, _labels(Xc, 32, 3))

    Xcat = _with_categories(_normal_x(41, 180), 42)
    d["cat_clf"] = (Xcat, _labels(Xcat, 43, 2))
    Xn = _with_nans(_normal_x(51, 160), 52)
    d["nan_clf"] = (Xn, _labels(np.nan_to_num(Xn), 53, 2))
    Xcn = _with_nans(_with_categories(_normal_x(61, 180), 62), 63)
    d["cat_nan_reg"] = (Xcn, _target(np.nan_to_num(Xcn), 64))

    d["nan_x"] = (_with_nans(_normal_x(71, 160), 72, frac=0.15), None)
    Xe = _with_nans(_normal_x(73, 160), 74, frac=0.15)
    Xe[:, 4] = np.nan  # an all-missing column: dropped by SimpleImputer(median)
    d["nan_x_empty_col"] = (Xe, None)
    d["nan_multi"] = (_with_nans(Xm, 75), ym)
    d["nan_reg"] = (_with_nans(X, 76), d["reg"][1])
    return d


def _base_probe(kind, n):
    if kind == "counts":
        return _rs(101).poisson(3.0, size=(n, N_FEATURES)).astype(np.float64)
    X = _normal_x(1, n + 300)[300:]  # same distribution as training, new rows
    if kind == "normal" and n == N_PROBE:
        # A zero row and a few far-out rows (saturating sigmoids, etc.).
        X[-4] = 0.0
        X[-3:] *= 4.0
    return X


def _tree_splits(model):
    """(feature, threshold) of internal nodes of the model's first tree,
    preferring distinct features; feature indices are in input space."""
    tree, feature_map = None, None
    if hasattr(model, "tree_"):
        tree = model.tree_
    elif hasattr(model, "estimators_"):
        first = model.estimators_.flat[0] if isinstance(model.estimators_, np.ndarray) else model.estimators_[0]
        tree = first.tree_
        # Bagging (IsolationForest) fits on X[:, estimators_features_[i]]
        # only when it subsamples features; otherwise on X itself.
        features = getattr(model, "estimators_features_", None)
        if features is not None and len(features[0]) != model.n_features_in_:
            feature_map = features[0]
    if tree is not None:
        nodes = np.flatnonzero(tree.children_left != -1)
        pairs = [(int(tree.feature[i]), float(tree.threshold[i])) for i in nodes]
    else:  # HistGradientBoosting: numeric splits of the first predictor
        nodes = model._predictors[0][0].nodes
        inner = nodes[(nodes["is_leaf"] == 0) & (nodes["is_categorical"] == 0)]
        pairs = [(int(r["feature_idx"]), float(r["num_threshold"])) for r in inner]
    if feature_map is not None:
        pairs = [(int(feature_map[f]), t) for f, t in pairs]
    pairs = [(f, t) for f, t in pairs if np.isfinite(t)]
    chosen, seen = [], set()
    for f, t in pairs:
        if f not in seen:
            chosen.append((f, t))
            seen.add(f)
    chosen += [p for p in pairs if p not in chosen]
    return chosen[:4]


def _threshold_values(t, float32_too):
    vals = [t, np.nextafter(t, np.inf), np.nextafter(t, -np.inf)]
    if float32_too:
        # sklearn's Tree casts X to float32 before comparing with the float64
        # threshold, so the float32 neighbours are the interesting edge.
        t32 = np.float32(t)
        vals += [float(t32), float(np.nextafter(t32, np.float32(np.inf))),
                 float(np.nextafter(t32, np.float32(-np.inf)))]
    return vals


def make_probe(kind, model, cat_cols=()):
    """The X.npy rows for one model; see README for what each kind holds."""
    if kind in ("normal", "counts"):
        return _base_probe(kind, N_PROBE)
    if kind == "nan":
        X = _base_probe("normal", N_PROBE)
        X = _with_nans(X, 102, frac=0.15)
        X[0] = np.nan
        return X
    # kind == "tree" or "hgb": 16 ordinary rows + rows on split thresholds.
    is_hgb = kind == "hgb"
    base = _base_probe("normal", 16)
    if cat_cols:
        base = _with_categories(base, 103)
    rows = [base]
    for i, (f, t) in enumerate(_tree_splits(model)):
        vals = _threshold_values(t, float32_too=not is_hgb)
        block = np.repeat(base[i : i + 1], len(vals), axis=0)
        block[:, f] = vals
        rows.append(block)
    X = np.vstack(rows)
    if is_hgb:
        extra = base[:8].copy()
        extra[0] = np.nan  # everything missing
        extra[1, 2:] = np.nan
        extra[2, 3] = np.nan
        if cat_cols:
            # unseen, negative, missing, far out of range, largest seen
            extra[3:8, cat_cols[0]] = [7.0, -1.0, np.nan, 250.0, 4.0]
        X = np.vstack([X, extra])
    return X


# --------------------------------------------------------------------------
# The model registry
# --------------------------------------------------------------------------


@dataclass
class Case:
    name: str
    make: object  # () -> unfitted estimator, or None when this version lacks it
    data: str  # key of make_datasets()
    task: str
    probe: str = "normal"  # normal | counts | nan | tree | hgb
    notes: str = ""
    full: bool = False  # write the full protocol x compressor matrix
    skip_reason: str = ""
    cat_cols: tuple = field(default_factory=tuple)
    pandas: bool = False  # fit on a DataFrame (object feature_names_in_)


# Models that get all 4 pickle protocols and all 7 joblib variants: at least
# one per family.
FULL_MATRIX = {
    "linreg", "logreg_str", "sgd_clf_hinge", "dtc", "rf_clf_str", "gbc_bin",
    "hgb_clf_cat", "ocsvm", "svc_rbf_proba", "knn_clf", "gnb", "kmeans", "mlp_clf",
    "std_scaler", "pca_whiten", "pipe_imp_scale_pca_rf",
}


def _has_option(cls, param, option):
    """Whether `option` is a valid string value of `param` (sklearn >= 1.2)."""
    for c in cls._parameter_constraints.get(param, []):
        if option in getattr(c, "options", ()):
            return True
    return False


def registry():
    import sklearn.cluster as cl
    import sklearn.decomposition as dec
    import sklearn.dummy as dummy
    import sklearn.ensemble as ens
    import sklearn.impute as imp
    import sklearn.linear_model as lm
    import sklearn.naive_bayes as nb
    import sklearn.neighbors as nbr
    import sklearn.neural_network as nn
    import sklearn.pipeline as pl
    import sklearn.preprocessing as pre
    import sklearn.svm as svm
    import sklearn.tree as tr

    cases = []

    def add(name, make, data, task, **kw):
        cases.append(Case(name, make, data, task, full=name in FULL_MATRIX, **kw))

    # ---- linear regressors
    alphas = np.logspace(-3, 0, 8)  # explicit: n_alphas was removed in 1.9
    add("linreg", lambda: lm.LinearRegression(), "reg", "regressor")
    add("linreg_multi", lambda: lm.LinearRegression(), "reg_multi", "regressor", notes="multi-output (3 targets)")
    add("ridge", lambda: lm.Ridge(alpha=1.0), "reg", "regressor")
    add("ridge_multi", lambda: lm.Ridge(alpha=0.5), "reg_multi", "regressor", notes="multi-output (3 targets)")
    add("ridgecv", lambda: lm.RidgeCV(alphas=(0.1, 1.0, 10.0)), "reg", "regressor")
    add("lasso", lambda: lm.Lasso(alpha=0.1), "reg", "regressor")
    add("lassocv", lambda: lm.LassoCV(alphas=alphas, cv=3), "reg", "regressor")
    add("enet", lambda: lm.ElasticNet(alpha=0.1, l1_ratio=0.5), "reg", "regressor")
    add("enetcv", lambda: lm.ElasticNetCV(l1_ratio=(0.2, 0.8), alphas=alphas, cv=3), "reg", "regressor")
    add("lars", lambda: lm.Lars(n_nonzero_coefs=4), "reg", "regressor")
    add("lassolars", lambda: lm.LassoLars(alpha=0.01), "reg", "regressor")
    add("omp", lambda: lm.OrthogonalMatchingPursuit(n_nonzero_coefs=3), "reg", "regressor")
    add("bayes_ridge", lambda: lm.BayesianRidge(), "reg", "regressor")
    add("ard", lambda: lm.ARDRegression(), "reg", "regressor")
    add("huber", lambda: lm.HuberRegressor(), "reg", "regressor")
    add("quantile", lambda: lm.QuantileRegressor(quantile=0.7, alpha=0.01, solver="highs"), "reg", "regressor")
    add("theilsen", lambda: lm.TheilSenRegressor(max_subpopulation=500, random_state=0), "reg", "regressor")
    add("poisson", lambda: lm.PoissonRegressor(alpha=0.1), "reg_poisson", "regressor", notes="log link")
    add("gamma", lambda: lm.GammaRegressor(alpha=0.1), "reg_gamma", "regressor", notes="log link")
    add("tweedie", lambda: lm.TweedieRegressor(power=1.5, link="log", alpha=0.1), "reg_poisson", "regressor", notes="power 1.5, log link")
    add("sgd_reg", lambda: lm.SGDRegressor(random_state=0), "reg", "regressor")
    # PassiveAggressive* are deprecated since 1.8 (removal planned for 1.10).
    add("pa_reg", lambda: lm.PassiveAggressiveRegressor(random_state=0), "reg", "regressor")
    add("linsvr", lambda: svm.LinearSVR(random_state=0, max_iter=5000), "reg", "regressor")

    # ---- linear classifiers
    add("logreg_bin", lambda: lm.LogisticRegression(), "bin", "classifier", notes="binary")
    # lbfgs on 3 classes is multinomial: by default in 1.2 (multi_class='auto')
    # and always from 1.8, where multi_class was removed.
    add("logreg_multinomial", lambda: lm.LogisticRegression(), "multi", "classifier", notes="multinomial, 3 classes")
    ovr = _has_option(lm.LogisticRegression, "multi_class", "ovr")
    add("logreg_ovr", (lambda: lm.LogisticRegression(multi_class="ovr")) if ovr else None, "multi", "classifier",
        notes="one-vs-rest, 3 classes",
        skip_reason="" if ovr else "LogisticRegression has no multi_class='ovr' (removed in 1.8)")
    add("logreg_str", lambda: lm.LogisticRegression(), "multi_str", "classifier", notes="string labels, 3 classes")
    add("logregcv", lambda: lm.LogisticRegressionCV(Cs=4, cv=3), "multi", "classifier", notes="3 classes")
    for loss in ("hinge", "log_loss", "modified_huber", "squared_hinge", "perceptron",
                 "squared_error", "huber", "epsilon_insensitive", "squared_epsilon_insensitive"):
        add(f"sgd_clf_{loss}", lambda loss=loss: lm.SGDClassifier(loss=loss, random_state=0),
            "multi", "classifier", notes=f"loss={loss}, 3 classes (one-vs-rest)")
    add("sgd_clf_bin", lambda: lm.SGDClassifier(loss="log_loss", random_state=0), "bin", "classifier",
        notes="loss=log_loss, binary")
    add("ridge_clf", lambda: lm.RidgeClassifier(), "multi", "classifier", notes="3 classes")
    add("ridge_clf_cv", lambda: lm.RidgeClassifierCV(alphas=(0.1, 1.0, 10.0)), "bin", "classifier", notes="binary")
    add("perceptron", lambda: lm.Perceptron(random_state=0), "multi", "classifier", notes="3 classes")
    add("pa_clf", lambda: lm.PassiveAggressiveClassifier(random_state=0), "bin", "classifier", notes="binary")
    add("linsvc", lambda: svm.LinearSVC(random_state=0, max_iter=5000), "multi", "classifier", notes="3 classes")

    # ---- trees and ensembles
    add("dtc", lambda: tr.DecisionTreeClassifier(max_depth=5, random_state=0), "multi", "classifier", probe="tree")
    add("dtc_float_labels", lambda: tr.DecisionTreeClassifier(max_depth=4, random_state=0), "multi_float",
        "classifier", probe="tree", notes="float labels")
    add("dtr", lambda: tr.DecisionTreeRegressor(max_depth=5, random_state=0), "reg", "regressor", probe="tree")
    add("etc_single", lambda: tr.ExtraTreeClassifier(max_depth=6, random_state=0), "multi", "classifier", probe="tree")
    add("etr_single", lambda: tr.ExtraTreeRegressor(max_depth=6, random_state=0), "reg", "regressor", probe="tree")
    rf = dict(n_estimators=5, max_depth=4, random_state=0)
    add("rf_clf", lambda: ens.RandomForestClassifier(**rf), "multi", "classifier", probe="tree")
    add("rf_clf_str", lambda: ens.RandomForestClassifier(**rf), "multi_str", "classifier", probe="tree",
        notes="string labels")
    add("rf_clf_pandas", lambda: ens.RandomForestClassifier(**rf), "bin", "classifier", probe="tree", pandas=True,
        notes="fitted on a pandas DataFrame: object feature_names_in_ (one non-ASCII name)")
    add("rf_reg", lambda: ens.RandomForestRegressor(**rf), "reg", "regressor", probe="tree")
    add("et_clf", lambda: ens.ExtraTreesClassifier(**rf), "multi", "classifier", probe="tree")
    add("et_reg", lambda: ens.ExtraTreesRegressor(**rf), "reg", "regressor", probe="tree")
    add("rf_clf_multi", lambda: ens.RandomForestClassifier(**rf), "multiout_clf", "classifier", probe="tree",
        notes="multi-output (3 classes, 2 classes): predict_proba is a list")
    add("rf_reg_multi", lambda: ens.RandomForestRegressor(**rf), "multiout_reg", "regressor", probe="tree",
        notes="multi-output (2 targets)")
    gb = dict(n_estimators=5, max_depth=3, random_state=0)
    add("gbc_bin", lambda: ens.GradientBoostingClassifier(**gb), "bin", "classifier", probe="tree", notes="binary")
    add("gbc_multiclass", lambda: ens.GradientBoostingClassifier(**gb), "multi", "classifier", probe="tree",
        notes="3 classes")
    add("gbc_exponential", lambda: ens.GradientBoostingClassifier(loss="exponential", **gb), "bin",
        "classifier", probe="tree", notes="loss=exponential")
    add("gbc_init_zero", lambda: ens.GradientBoostingClassifier(init="zero", **gb), "bin", "classifier",
        probe="tree", notes="init='zero', binary")
    add("gbc_init_dummy", lambda: ens.GradientBoostingClassifier(init=dummy.DummyClassifier(strategy="prior"), **gb),
        "bin", "classifier", probe="tree", notes="init=DummyClassifier(strategy='prior')")
    add("gbc_str", lambda: ens.GradientBoostingClassifier(**gb), "multi_str", "classifier", probe="tree",
        notes="string labels, 3 classes")
    for loss in ("squared_error", "absolute_error", "huber", "quantile"):
        add(f"gbr_{loss}", lambda loss=loss: ens.GradientBoostingRegressor(loss=loss, **gb), "reg", "regressor",
            probe="tree", notes=f"loss={loss}" + (", alpha=0.9" if loss in ("huber", "quantile") else ""))
    add("gbr_init_zero", lambda: ens.GradientBoostingRegressor(init="zero", **gb), "reg", "regressor",
        probe="tree", notes="init='zero'")
    add("gbr_init_linreg", lambda: ens.GradientBoostingRegressor(init=lm.LinearRegression(), **gb), "reg",
        "regressor", probe="tree", notes="init=LinearRegression()")
    # max_bins=32 keeps _bin_mapper.bin_thresholds_ (and the corpus) small.
    hgb = dict(max_iter=5, max_leaf_nodes=8, max_bins=32, random_state=0)
    add("hgb_clf_bin", lambda: ens.HistGradientBoostingClassifier(**hgb), "bin", "classifier", probe="hgb",
        notes="binary")
    add("hgb_clf_multiclass", lambda: ens.HistGradientBoostingClassifier(**hgb), "multi", "classifier",
        probe="hgb", notes="3 classes")
    add("hgb_clf_cat", lambda: ens.HistGradientBoostingClassifier(categorical_features=list(CAT_COLS), **hgb),
        "cat_clf", "classifier", probe="hgb", cat_cols=CAT_COLS,
        notes="categorical splits (features 0 and 1), binary")
    add("hgb_clf_nan", lambda: ens.HistGradientBoostingClassifier(**hgb), "nan_clf", "classifier", probe="hgb",
        notes="NaNs in training data, binary")
    for loss in ("squared_error", "absolute_error", "poisson", "quantile", "gamma"):
        data = {"poisson": "reg_poisson", "gamma": "reg_gamma"}.get(loss, "reg")
        ok = _has_option(ens.HistGradientBoostingRegressor, "loss", loss)
        kw = {"quantile": 0.8} if loss == "quantile" else {}
        add(f"hgb_reg_{loss}",
            (lambda loss=loss, kw=kw: ens.HistGradientBoostingRegressor(loss=loss, **kw, **hgb)) if ok else None,
            data, "regressor", probe="hgb", notes=f"loss={loss}" + (", quantile=0.8" if kw else ""),
            skip_reason="" if ok else f"HistGradientBoostingRegressor has no loss='{loss}' (added in 1.3)")
    add("hgb_reg_cat_nan", lambda: ens.HistGradientBoostingRegressor(categorical_features=list(CAT_COLS), **hgb),
        "cat_nan_reg", "regressor", probe="hgb", cat_cols=CAT_COLS,
        notes="categorical splits (features 0 and 1) and NaNs in training data")
    add("iforest", lambda: ens.IsolationForest(n_estimators=5, max_samples=32, random_state=0), "reg", "outlier",
        probe="tree")

    # ---- SVM
    for kernel in ("rbf", "linear", "poly", "sigmoid"):
        binary = kernel == "linear"
        add(f"svc_{kernel}", lambda kernel=kernel: svm.SVC(kernel=kernel, degree=3), "bin" if binary else "multi",
            "classifier", notes=f"kernel={kernel}, " + ("binary" if binary else "3 classes"))
    add("svc_rbf_proba", lambda: svm.SVC(probability=True, random_state=0), "multi", "classifier",
        notes="probability=True (Platt scaling), 3 classes")
    add("svr", lambda: svm.SVR(C=3.0), "reg", "regressor")
    add("nusvc", lambda: svm.NuSVC(nu=0.4), "multi", "classifier", notes="3 classes")
    add("nusvr", lambda: svm.NuSVR(nu=0.4), "reg", "regressor")
    add("ocsvm", lambda: svm.OneClassSVM(nu=0.1), "reg", "outlier")

    # ---- neighbors, naive Bayes, clustering, neural networks
    add("knn_clf", lambda: nbr.KNeighborsClassifier(n_neighbors=5, algorithm="kd_tree"), "multi", "classifier",
        notes="algorithm=kd_tree, 3 classes")
    add("knn_reg", lambda: nbr.KNeighborsRegressor(n_neighbors=4, weights="distance", algorithm="ball_tree"),
        "reg", "regressor", notes="algorithm=ball_tree, weights=distance")
    add("gnb", lambda: nb.GaussianNB(), "multi", "classifier", notes="3 classes")
    add("mnb", lambda: nb.MultinomialNB(), "counts", "classifier", probe="counts", notes="count features, 3 classes")
    add("bnb", lambda: nb.BernoulliNB(), "multi", "classifier", notes="binarize=0.0, 3 classes")
    # n_init given explicitly: 1.2 warns that its default changes in 1.4.
    add("kmeans", lambda: cl.KMeans(n_clusters=4, n_init=3, random_state=0), "reg", "clusterer")
    add("mlp_clf", lambda: nn.MLPClassifier(hidden_layer_sizes=(8,), max_iter=60, random_state=0), "multi",
        "classifier", notes="relu, one hidden layer of 8, 3 classes")
    add("mlp_reg", lambda: nn.MLPRegressor(hidden_layer_sizes=(8, 4), activation="tanh", max_iter=60,
                                           random_state=0), "reg", "regressor", notes="tanh, hidden layers 8 and 4")

    # ---- transformers
    add("std_scaler", lambda: pre.StandardScaler(), "reg", "transformer")
    add("std_scaler_nomean", lambda: pre.StandardScaler(with_mean=False), "reg", "transformer",
        notes="with_mean=False")
    add("minmax", lambda: pre.MinMaxScaler(feature_range=(-1, 2)), "reg", "transformer", notes="feature_range=(-1, 2)")
    add("maxabs", lambda: pre.MaxAbsScaler(), "reg", "transformer")
    add("robust", lambda: pre.RobustScaler(), "reg", "transformer")
    add("normalizer", lambda: pre.Normalizer(), "reg", "transformer", notes="norm=l2")
    add("binarizer", lambda: pre.Binarizer(threshold=0.5), "reg", "transformer", notes="threshold=0.5")
    for strategy in ("mean", "median", "most_frequent", "constant"):
        add(f"imputer_{strategy}",
            lambda strategy=strategy: imp.SimpleImputer(strategy=strategy, fill_value=-7.5 if strategy == "constant" else None),
            "nan_x_empty_col" if strategy == "median" else "nan_x", "transformer", probe="nan",
            notes=f"strategy={strategy}" + (", fill_value=-7.5" if strategy == "constant" else "")
            + (", column 4 all-NaN in training: dropped from the output" if strategy == "median" else ""))
    add("pca", lambda: dec.PCA(n_components=4, random_state=0), "reg", "transformer", notes="n_components=4")
    add("pca_whiten", lambda: dec.PCA(n_components=3, whiten=True, random_state=0), "reg", "transformer",
        notes="n_components=3, whiten=True")
    add("tsvd", lambda: dec.TruncatedSVD(n_components=3, random_state=0), "reg", "transformer",
        notes="n_components=3")

    # ---- pipelines
    add("pipe_scale_logreg", lambda: pl.Pipeline([("scale", pre.StandardScaler()),
                                                  ("clf", lm.LogisticRegression())]),
        "multi", "pipeline", notes="StandardScaler -> LogisticRegression")
    add("pipe_imp_scale_pca_rf", lambda: pl.Pipeline([("impute", imp.SimpleImputer()),
                                                      ("scale", pre.StandardScaler()),
                                                      ("pca", dec.PCA(n_components=4, random_state=0)),
                                                      ("rf", ens.RandomForestClassifier(**rf))]),
        "nan_multi", "pipeline", probe="nan", notes="SimpleImputer -> StandardScaler -> PCA -> RandomForestClassifier")
    add("pipe_nested", lambda: pl.Pipeline([("prep", pl.Pipeline([("impute", imp.SimpleImputer(strategy="median")),
                                                                  ("scale", pre.RobustScaler())])),
                                            ("reg", lm.Ridge())]),
        "nan_reg", "pipeline", probe="nan", notes="Pipeline(SimpleImputer(median) -> RobustScaler) -> Ridge")
    add("pipe_passthrough", lambda: pl.Pipeline([("scale", pre.MinMaxScaler()), ("skip", "passthrough"),
                                                 ("svc", svm.SVC(kernel="rbf"))]),
        "multi", "pipeline", notes="MinMaxScaler -> 'passthrough' -> SVC")
    # added later: appended so the compressor each model above is saved with
    # (chosen by its position) stays the same
    add("cnb", lambda: nb.ComplementNB(), "counts", "classifier", probe="counts", notes="count features, 3 classes")
    return cases


# --------------------------------------------------------------------------
# generate
# --------------------------------------------------------------------------


def _as_saved_array(out):
    out = np.asarray(out)
    if out.dtype == object:  # string labels: store as numpy unicode
        out = out.astype(str)
    assert not out.dtype.hasobject
    return out


def _compute_outputs(model, Xin):
    """{file stem: array} for every output method the model has and that
    works on Xin.  List-valued outputs (multi-output predict_proba) become
    <method>.<i>."""
    outputs, list_lens = {}, {}
    for name in OUTPUT_METHODS:
        if not hasattr(model, name):
            continue
        try:
            out = getattr(model, name)(Xin)
        except Exception as exc:  # e.g. SVC.predict_proba without probability
            print(f"    {name}: not available ({type(exc).__name__})")
            continue
        if isinstance(out, list):
            list_lens[name] = len(out)
            for i, o in enumerate(out):
                outputs[f"{name}.{i}"] = _as_saved_array(o)
        else:
            outputs[name] = _as_saved_array(out)
    return outputs, list_lens


def generate_models(root, datasets):
    ver = versions()
    cases = registry()
    skipped = []
    partial_index = 0
    for case in cases:
        if case.full:
            compressors, protocols = COMPRESSORS, PROTOCOLS
        else:
            # Rotate the single compressed variant over the non-full models,
            # in registry order (stable across versions).
            compressors, protocols = (COMPRESSORS[partial_index % len(COMPRESSORS)],), (4, 5)
            partial_index += 1
        if case.make is None:
            skipped.append(f"{case.name}\t{case.skip_reason}")
            print(f"  skip {case.name}: {case.skip_reason}")
            continue
        print(f"  {case.name}")
        X, y = datasets[case.data]
        model = case.make()
        model.fit(_frame(X) if case.pandas else X, *(() if y is None else (y,)))
        probe = np.ascontiguousarray(make_probe(case.probe, model, case.cat_cols), dtype=np.float64)
        outputs, list_lens = _compute_outputs(model, _frame(probe) if case.pandas else probe)
        assert "predict" in outputs or "transform" in outputs, case.name

        d = root / case.name
        d.mkdir(parents=True)
        np.save(d / "X.npy", probe, allow_pickle=False)
        for stem, arr in outputs.items():
            np.save(d / f"{stem}.npy", arr, allow_pickle=False)
        dump_all(model, d, "model", protocols, compressors)

        notes = [case.notes] if case.notes else []
        classes = getattr(model, "classes_", None)
        if isinstance(classes, np.ndarray):
            notes.append(f"classes_ dtype {classes.dtype.str}")
        info = [
            ("class", f"{type(model).__module__}.{type(model).__qualname__}"),
            *ver.items(),
            ("task", case.task),
            ("n_features", str(probe.shape[1])),
            ("methods", ",".join(m for m in OUTPUT_METHODS if m in outputs or m in list_lens)),
        ]
        if list_lens:
            info.append(("list_outputs", ",".join(f"{k}:{v}" for k, v in list_lens.items())))
        info.append(("notes", "; ".join(notes) if notes else "-"))
        write_text(d / "info.txt", [f"{k}\t{v}" for k, v in info])
    write_text(root / "skipped.txt", skipped)


# One non-ASCII name, to get a UTF-8 string into the object array.
PANDAS_COLUMNS = ["alpha", "beta", "gamma", "größe", "epsilon", "zeta"]


def _frame(X, columns=PANDAS_COLUMNS):
    import pandas as pd

    return pd.DataFrame(X, columns=list(columns))


def data_objects():
    """name -> (description, object).  Everything is deterministic."""
    obj_arr = np.empty(6, dtype=object)
    obj_arr[:] = ["text", np.arange(3, dtype=np.int64), "ünï", np.array([[1.5, -2.5]]), None, 7]
    obj_2d = np.empty((2, 2), dtype=object)
    obj_2d[0, 0], obj_2d[0, 1] = np.array(["a", "bc"]), 3.25
    obj_2d[1, 0], obj_2d[1, 1] = (1, np.zeros(2, dtype=np.float32)), {"k": np.array([True, False])}
    shared = [1, 2, 3]
    big_u = np.arange(256, dtype=np.uint8).tobytes()
    structured = np.zeros(4, dtype=[("id", "<i4"), ("score", "<f8"), ("name", "<U6"), ("flag", "?"),
                                    ("vec", "<f4", (3,)), ("be", ">i2")])
    structured["id"] = [1, -2, 300000, 0]
    structured["score"] = [0.5, -1.25, np.inf, np.nan]
    structured["name"] = ["one", "dös", "", "sixsix"]
    structured["flag"] = [True, False, True, False]
    structured["vec"] = np.arange(12, dtype=np.float32).reshape(4, 3) / 4
    structured["be"] = [1, -1, 258, 32767]
    return {
        "numeric_dict": ("dict of native little-endian numeric arrays", {
            "f8": np.linspace(-1.0, 1.0, 7),
            "f4": np.array([0.1, -2.5, 3e38, 1e-45], dtype=np.float32),
            "i8": np.arange(-3, 5, dtype=np.int64),
            "i4_2d": np.arange(12, dtype=np.int32).reshape(3, 4),
            "i2": np.array([-32768, 0, 32767], dtype=np.int16),
            "i1": np.array([-128, 127], dtype=np.int8),
            "u1": np.arange(0, 256, 51, dtype=np.uint8),
            "u2": np.array([0, 65535], dtype=np.uint16),
            "u4": np.array([0, 4294967295], dtype=np.uint32),
            "f8_3d": np.arange(24, dtype=np.float64).reshape(2, 3, 4) / 3,
        }),
        "big_endian": ("dict of big-endian arrays", {
            "f8": np.array([1.5, -0.0, np.inf, 1e300], dtype=">f8"),
            "i4": np.array([1, -1, 2**31 - 1, -(2**31)], dtype=">i4"),
            "i8_2d": np.arange(6, dtype=">i8").reshape(2, 3),
            "u2": np.array([1, 256, 65535], dtype=">u2"),
            "f4": np.array([0.25, -8.0], dtype=">f4"),
            "c16": np.array([1 + 2j, -3.5j], dtype=">c16"),
        }),
        "fortran": ("list: Fortran-order 2-D float64, Fortran-order 3-D int16, a non-contiguous "
                    "slice, a transposed 3-D array (axes 1,0,2)", [
            np.asfortranarray(np.arange(12, dtype=np.float64).reshape(3, 4) * 1.5),
            np.asfortranarray(np.arange(24, dtype=np.int16).reshape(2, 3, 4)),
            np.arange(20, dtype=np.float64).reshape(4, 5)[:, ::2],
            np.arange(24, dtype=np.int32).reshape(2, 3, 4).transpose(1, 0, 2),
        ]),
        "structured": ("structured array: i4, f8, U6, bool, f4 sub-array (3,), big-endian i2", structured),
        "unicode": ("dict: 1-D and 2-D unicode arrays (non-ASCII, astral, empty), a bytes (S) array", {
            "u1d": np.array(["a", "héllo", "日本語", "😀", ""]),
            "u2d": np.array([["x", "yy"], ["zzz", "ẞ"]]),
            "bytes": np.array([b"ab", b"\x00\xff", b""]),
        }),
        "object_array": ("list: 1-D object array holding strings, arrays, None, an int; 2-D object "
                         "array holding an array, a float, a tuple with an array, a dict with an array", [
            obj_arr, obj_2d,
        ]),
        "zero_d": ("list of 0-d arrays: float64, int32, complex128", [
            np.array(3.5), np.array(7, dtype=np.int32), np.array(1 - 1j),
        ]),
        "empty": ("list of empty arrays: float64 (0,3), int64 (0,), unicode (2,0)", [
            np.zeros((0, 3)), np.zeros(0, dtype=np.int64), np.zeros((2, 0), dtype="<U3"),
        ]),
        "datetime": ("dict of datetime64 and timedelta64 arrays (ns, D, s, ms; with NaT)", {
            "M8ns": np.array(["2020-01-01T00:00:00.000000001", "1969-12-31T23:59:59", "NaT"], dtype="M8[ns]"),
            "M8D": np.array(["1970-01-01", "2038-01-19", "1900-02-28"], dtype="M8[D]"),
            "m8s": np.array([0, -1, 86400, "NaT"], dtype="m8[s]"),
            "m8ms": np.arange(4, dtype="m8[ms]"),
        }),
        "complex": ("dict: complex128 and complex64 arrays incl. inf/nan parts", {
            "c16": np.array([1 + 2j, -0.5j, complex(np.inf, -np.inf), complex(np.nan, 1)]),
            "c8_2d": (np.arange(6).reshape(2, 3) * (1 - 1j)).astype(np.complex64),
        }),
        "bool": ("dict: 1-D and 2-D bool arrays", {
            "b1": np.array([True, False, True]),
            "b2d": np.arange(12).reshape(3, 4) % 3 == 0,
        }),
        "float16": ("float16 array incl. inf, nan, subnormal, max", np.array(
            [0.0, -0.0, 1.0, -2.5, 65504.0, 6e-8, np.inf, -np.inf, np.nan], dtype=np.float16)),
        "uint64": ("uint64 array incl. 2**63 and 2**64-1", np.array(
            [0, 1, 2**32, 2**63 - 1, 2**63, 2**64 - 1], dtype=np.uint64)),
        "numpy_scalars": ("list of numpy scalars (not arrays): f8 f4 f2 i8 i4 u1 u8 bool c16 datetime64 "
                          "timedelta64 str_ bytes_", [
            np.float64(1.5), np.float32(-2.25), np.float16(0.5), np.int64(-(2**40)), np.int32(-7),
            np.uint8(255), np.uint64(2**64 - 1), np.bool_(True), np.complex128(1 - 2j),
            np.datetime64("2021-03-04T05:06:07", "s"), np.timedelta64(90, "m"), np.str_("hé"), np.bytes_(b"\x01b"),
        ]),
        "python_values": ("dict of plain Python values (see README)", {
            "ints": [0, 1, -1, 255, 256, 65535, 65536, 2**31 - 1, -(2**31), 2**31, 2**63 - 1, 2**63,
                     2**64, 2**70, -(2**65)],
            "floats": [0.0, -0.0, 1.5, 1e-310, 1.7976931348623157e308, float("inf"), float("-inf"), float("nan")],
            "set": {1, 2, 3},
            "frozenset": frozenset({"a", "b"}),
            "slice": slice(1, 10, 2),
            "slice_none": slice(None, 5, None),
            "complex": 3 + 4j,
            "bytearray": bytearray(b"\x00\xffabc"),
            "bytes": b"bytes\x00\xff",
            "bytes_long": big_u,
            "bytes_empty": b"",
            "str": "non-ASCII: héllo wörld ✓ 日本 😀",
            "str_long": "x" * 300,
            "str_empty": "",
            "odict": collections.OrderedDict([("z", 1), ("a", [2.5]), ("m", None)]),
            "tuple": (1, "two", 3.0),
            "tuple_empty": (),
            "nested": [[1, [2, [3, []]]], {"k": {"k2": [None, {}]}, 7: "int key"}],
            "shared": [shared, shared],
            "none": None,
            "true": True,
            "false": False,
        }),
    }


def generate_data(root):
    ver = versions()
    for name, (desc, obj) in data_objects().items():
        print(f"  data/{name}")
        d = root / name
        d.mkdir(parents=True)
        dump_all(obj, d, "data", PROTOCOLS, ("zlib",))
        write_text(d / "arrays.txt", array_lines(obj))
        write_text(d / "info.txt", [f"name\t{name}", *(f"{k}\t{v}" for k, v in ver.items()),
                                    f"description\t{desc}"])


def _silence_expected_warnings():
    from sklearn.exceptions import ConvergenceWarning

    # Small max_iter on MLP/SGD etc. is deliberate; deprecated estimators and
    # changing defaults (PassiveAggressive*, LogisticRegressionCV in 1.8+) are
    # fixed by the pinned versions.
    warnings.simplefilter("ignore", ConvergenceWarning)
    warnings.simplefilter("ignore", FutureWarning)
    # predict_log_proba of a probability 0 is -inf, which is what we store.
    warnings.filterwarnings("ignore", "divide by zero encountered in log", RuntimeWarning)
    # imputer_median has an all-NaN training column on purpose.
    warnings.filterwarnings("ignore", "Skipping features without any observed values", UserWarning)


def cmd_generate(corpus):
    import sklearn

    _silence_expected_warnings()
    root = corpus / f"sk{sklearn.__version__}"
    if root.exists():
        shutil.rmtree(root)
    datasets = make_datasets()
    generate_models(root, datasets)
    generate_data(root / "data")


# --------------------------------------------------------------------------
# verify
# --------------------------------------------------------------------------


def cmd_verify(corpus):
    import sklearn

    _silence_expected_warnings()
    root = corpus / f"sk{sklearn.__version__}"
    failures, n_files = [], 0
    for d in sorted(p for p in root.iterdir() if p.is_dir() and p.name != "data"):
        info = read_info(d / "info.txt")
        X = np.load(d / "X.npy")
        expected = {p.name[:-4]: np.load(p) for p in d.glob("*.npy") if p.name != "X.npy"}
        for path in sorted(d.glob("model.*")):
            n_files += 1
            model = load_any(path)
            names = getattr(model, "feature_names_in_", None)
            Xin = X if names is None else _frame(X, names)
            for method in info["methods"].split(","):
                out = getattr(model, method)(Xin)
                outs = out if isinstance(out, list) else [out]
                stems = [f"{method}.{i}" for i in range(len(outs))] if isinstance(out, list) else [method]
                for stem, o in zip(stems, outs):
                    o = _as_saved_array(o)
                    if not np.array_equal(o, expected[stem], equal_nan=o.dtype.kind in "fc"):
                        failures.append(f"{path}: {stem} differs")
    for d in sorted((root / "data").iterdir()):
        want = (d / "arrays.txt").read_text(encoding="utf-8").splitlines()
        for path in sorted(d.glob("data.*")):
            n_files += 1
            # arrays.txt has the dtypes as written.  Loading may turn '>' into
            # native order (numpy's setstate for protocols <= 4, joblib >= 1.5);
            # the hash does not depend on byte order.
            got = [line.replace(">", "<", 1) for line in array_lines(load_any(path))]
            if got != [line.replace(">", "<", 1) for line in want]:
                failures.append(f"{path}: arrays differ")
    for f in failures:
        print("FAIL", f)
    print(f"verified {n_files} files in {root.name}: {len(failures)} failures")
    return 1 if failures else 0


# --------------------------------------------------------------------------
# legacy
# --------------------------------------------------------------------------

LEGACY_PREFIXES = ("joblib_0.8.4_", "joblib_0.9.2_", "joblib_0.9.4.dev0_", "joblib_0.10.0_", "joblib_0.11.0_")
COMPANION_RE = re.compile(r"_\d\d\.npy(\.z)?$")


def cmd_legacy(corpus):
    import joblib

    src = Path(joblib.__file__).parent / "test" / "data"
    dst = corpus / "legacy"
    if dst.exists():
        shutil.rmtree(dst)
    dst.mkdir(parents=True)
    names = sorted(p.name for p in src.iterdir() if p.name.startswith(LEGACY_PREFIXES))
    unloadable = []
    for name in names:
        shutil.copyfile(src / name, dst / name)
    for name in names:
        if COMPANION_RE.search(name):
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                obj = joblib.load(dst / name)
        except Exception as exc:
            unloadable.append(f"{name}\t{type(exc).__name__}: {exc}")
            continue
        write_text(dst / f"{name}.arrays.txt", array_lines(obj))
    write_text(dst / "unloadable.txt", unloadable)
    print(f"  copied {len(names)} files from joblib {joblib.__version__}; {len(unloadable)} not loadable")


# --------------------------------------------------------------------------
# manifest
# --------------------------------------------------------------------------

MAGIC = (  # joblib's detection order (joblib/compressor.py)
    ("zlib", b"\x78"),
    ("gzip", b"\x1f\x8b"),
    ("bz2", b"BZ"),
    ("lzma", b"\x5d\x00"),
    ("xz", b"\xfd\x37\x7a\x58\x5a"),
    ("lz4", b"\x04\x22\x4d\x18"),
)


def _decompress(raw):
    """(container, compressor, pickle bytes) for any joblib/pickle file."""
    if raw.startswith(b"ZF"):  # joblib < 0.10 Z-file: 'ZF' + hex length padded to 19
        body = raw[21:]
        if body[:1] == b" ":  # python2 joblib <= 0.8.4 wrote one extra space
            body = body[1:]
        return "ZF", "zlib", zlib.decompress(body)
    for name, prefix in MAGIC:
        if raw.startswith(prefix):
            if name == "zlib":
                return None, name, zlib.decompress(raw)
            if name == "gzip":
                return None, name, gzip.decompress(raw)
            if name == "bz2":
                return None, name, bz2.decompress(raw)
            if name in ("lzma", "xz"):
                return None, name, lzma.decompress(raw)
            import lz4.frame

            return None, name, lz4.frame.decompress(raw)
    return None, "none", raw


def _protocol(stream):
    if stream[0] == 0x80:
        return stream[1]
    # No PROTO opcode: protocol 1 if any opcode needs it, else 0.
    proto = 0
    for op, _, _ in pickletools.genops(stream):
        proto = max(proto, op.proto)
        if op.name == "STOP":
            break
    return min(proto, 1)


def _legacy_versions(name):
    joblib_v = name.split("_")[1]
    m = re.search(r"_np(\d)(\d+)", name)
    numpy_v = f"{m.group(1)}.{m.group(2)}" if m else "-"
    return joblib_v, numpy_v


def cmd_manifest(corpus):
    rows = []
    for root in sorted(corpus.glob("sk*")):
        for info_path in sorted(root.glob("*/info.txt")) + sorted(root.glob("data/*/info.txt")):
            d = info_path.parent
            info = read_info(info_path)
            kind = "data" if d.parent.name == "data" else "model"
            stem = "data" if kind == "data" else "model"
            for path in sorted(d.glob(f"{stem}.*")):
                _, comp, stream = _decompress(path.read_bytes())
                rows.append([
                    str(path.relative_to(corpus)), kind,
                    "pickle" if path.name.endswith(".pkl") else "joblib",
                    str(_protocol(stream)), comp,
                    info.get("class", "-"), info["sklearn_version"], info["numpy_version"],
                    info["joblib_version"], str(d.relative_to(corpus)),
                ])
    legacy = corpus / "legacy"
    for path in sorted(legacy.iterdir()):
        name = path.name
        if not name.startswith("joblib_") or COMPANION_RE.search(name) or name.endswith(".arrays.txt"):
            continue
        container, comp, stream = _decompress(path.read_bytes())
        has_companions = (legacy / f"{name}_01.npy").exists() or (legacy / f"{name}_01.npy.z").exists()
        fmt = "joblib-legacy" if container == "ZF" or has_companions else "joblib"
        joblib_v, numpy_v = _legacy_versions(name)
        rows.append([f"legacy/{name}", "legacy", fmt, str(_protocol(stream)), comp, "-", "-", numpy_v,
                     joblib_v, "legacy"])
    header = ["path", "kind", "format", "protocol", "compressor", "class", "sklearn_version",
              "numpy_version", "joblib_version", "dir"]
    missing = [r[0] for r in rows if not (corpus / r[0]).is_file()]
    assert not missing, missing
    write_text(corpus / "manifest.tsv", ["\t".join(header)] + ["\t".join(r) for r in rows])
    print(f"  manifest.tsv: {len(rows)} files")


def main():
    commands = {"generate": cmd_generate, "verify": cmd_verify, "legacy": cmd_legacy, "manifest": cmd_manifest}
    if len(sys.argv) != 3 or sys.argv[1] not in commands:
        sys.exit(f"usage: {sys.argv[0]} {{{'|'.join(commands)}}} CORPUS_DIR")
    sys.exit(commands[sys.argv[1]](Path(sys.argv[2])) or 0)


if __name__ == "__main__":
    main()
