#!/usr/bin/env bash
# Build the libFuzzer harnesses with clang and run each for SECONDS.
#
#   tests/fuzz/run.sh SECONDS [fuzz_NAME ...]
#
# Builds every tests/fuzz/fuzz_*.c (tests/fuzz/CMakeLists.txt) in
# $MC_FUZZ_BUILD (default build-fuzz), makes seed corpora from the committed
# files (samples/corpus, tests/data/container, tests/hostile/files), then
# runs each fuzzer for SECONDS with those seeds and a dictionary of pickle
# tokens.  fuzz_hdf5's seeds are corpus models converted to .h5 by a
# regular (uninstrumented) build of the CLI, made in $MC_FUZZ_CLI_BUILD
# (default $MC_FUZZ_BUILD-cli) unless MC_FUZZ_MODELCONV names a built
# modelconv, plus tests/hostile/hdf5/files; fuzz_csv's are
# tests/data/predict's inputs and a few CSVs written here.  Those two get
# dictionaries of HDF5 / CSV tokens instead.  fuzz_hdf5 runs in libFuzzer's
# fork mode, going on after each artifact (libhdf5 itself leaks on damaged
# object headers, see fuzz_hdf5.c), and its leaks are labelled known or NEW.
# The growing corpora, crash/leak/timeout/OOM artifacts and logs go to
# $MC_FUZZ_WORK (default $MC_FUZZ_BUILD/work); a summary of executions and
# coverage is printed at the end.  Exit status 1 if any fuzzer found
# something (its artifact is listed).
#
# Environment: CC (default clang), MC_FUZZ_BUILD, MC_FUZZ_WORK,
# MC_FUZZ_MAX_LEN (default 65536), MC_FUZZ_JOBS (parallel jobs per fuzzer,
# default 1), MC_FUZZ_ARGS (extra libFuzzer flags), MC_FUZZ_MODELCONV,
# MC_FUZZ_CLI_BUILD.
set -euo pipefail

if [ $# -lt 1 ] || ! [[ "$1" =~ ^[0-9]+$ ]]; then
    echo "usage: $0 SECONDS [fuzz_NAME ...]" >&2
    exit 2
fi
SECS=$1
shift
SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${MC_FUZZ_BUILD:-$SRC/build-fuzz}
WORK=${MC_FUZZ_WORK:-$BUILD/work}
MAX_LEN=${MC_FUZZ_MAX_LEN:-65536}
JOBS=${MC_FUZZ_JOBS:-1}
export CC=${CC:-clang}

echo "== building fuzzers in $BUILD (CC=$CC)"
cmake -S "$SRC" -B "$BUILD" -G Ninja -DCMAKE_C_COMPILER="$CC" -DMC_FUZZ=ON \
    -DBUILD_TESTING=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C "$BUILD" fuzzers >/dev/null

FUZZERS=("$@")
if [ ${#FUZZERS[@]} -eq 0 ]; then
    for f in "$SRC"/tests/fuzz/fuzz_*.c; do
        FUZZERS+=("$(basename "$f" .c)")
    done
fi

# ---- seeds -------------------------------------------------------------------
# Files at most MAX_LEN bytes: every corpus model file, the container and
# .npy fixtures, the hostile corpus.
small_files() {
    find "$SRC/samples/corpus" "$SRC/tests/data/container" "$SRC/tests/hostile/files" \
        -type f -size -"$((MAX_LEN / 1024))"k \
        \( -name '*.pkl' -o -name '*.joblib' -o -name '*.npy' -o -name '*.z' -o -name '*.gz' \
        -o -name '*.bz2' -o -name '*.xz' -o -name '*.lzma' -o -name '*.lz4' -o -name '*.zf' \
        -o -name '*.gzip' -o -name '*.zlib' \) 2>/dev/null | sort
}

# uncompressed pickle streams (PROTO 2+ or a protocol-0/1 start), the ones
# fuzz_joblib wraps in each container
is_plain_pickle() {
    local b
    b=$(head -c 1 "$1" | od -An -tx1 | tr -d ' \n')
    case "$b" in 80 | 28 | 5d | 7d | 63 | 4e) return 0 ;; esac
    return 1
}

# a modelconv to convert corpus models to .h5 with (fuzz_hdf5's seeds)
modelconv_cli() {
    if [ -n "${MC_FUZZ_MODELCONV:-}" ]; then
        echo "$MC_FUZZ_MODELCONV"
        return
    fi
    local cli=${MC_FUZZ_CLI_BUILD:-$BUILD-cli}
    echo "== building the CLI in $cli (for fuzz_hdf5's seeds)" >&2
    cmake -S "$SRC" -B "$cli" -G Ninja -DBUILD_TESTING=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        >/dev/null
    ninja -C "$cli" modelconv >/dev/null
    echo "$cli/modelconv"
}

# archives of every corpus model (uncompressed and deflated) and the hostile
# archives, at most MAX_LEN bytes
h5_files() {
    local cli out=$WORK/h5-archives f name
    cli=$(modelconv_cli)
    rm -rf "$out"
    mkdir -p "$out"
    for f in "$SRC"/samples/corpus/*/*/model.p4.pkl; do
        name=$(basename "$(dirname "$(dirname "$f")")")_$(basename "$(dirname "$f")")
        "$cli" convert "$f" "$out/$name.h5" --compress none >/dev/null 2>&1 || true
        "$cli" convert "$f" "$out/$name.deflate.h5" >/dev/null 2>&1 || true
    done
    find "$out" "$SRC/tests/hostile/hdf5/files" -type f -name '*.h5' \
        -size -"$((MAX_LEN / 1024))"k 2>/dev/null | sort
}

# fuzz_csv: what `modelconv predict` reads
csv_seeds() {
    local dir=$1
    find "$SRC/tests/data/predict" -type f \( -name '*.csv' -o -name '*.npy' \) \
        -size -"$((MAX_LEN / 1024))"k -exec cp {} "$dir" \;
    printf '1,2,3\n4,5,6\n' >"$dir/plain.csv"
    printf 'a,b,c\r\n1.5,-2e-3,7\r\n0,0,0\r\n' >"$dir/header_crlf.csv"
    printf '"x","y"\n"1","2"\n\n 3 ,\t4\n' >"$dir/quoted_blank.csv"
    printf 'nan,NaN,inf,-inf,,-0\n1e308,4.9e-324,0x1p-3,+7,.5,5.\n' >"$dir/special.csv"
    printf '1\n2\n3' >"$dir/one_column_no_newline.csv"
    printf 'f0,f1\n' >"$dir/header_only.csv"
    printf '1,2\n3\n' >"$dir/ragged.csv"
}

make_seeds() {
    local name=$1 dir=$WORK/seeds/$1
    rm -rf "$dir"
    mkdir -p "$dir"
    local i=0 f
    case "$name" in
    fuzz_hdf5)
        while IFS= read -r f; do
            cp "$f" "$dir/$i"
            i=$((i + 1))
        done < <(h5_files)
        ;;
    fuzz_csv)
        csv_seeds "$dir"
        i=$(find "$dir" -type f | wc -l)
        ;;
    fuzz_npy)
        while IFS= read -r f; do
            case "$f" in *.npy) cp "$f" "$dir/$i"; i=$((i + 1)) ;; esac
        done < <(small_files)
        ;;
    fuzz_joblib)
        while IFS= read -r f; do
            case "$f" in *.npy) continue ;; esac
            # selector 0: the file as it is
            { printf '\000'; cat "$f"; } >"$dir/$i"
            i=$((i + 1))
            if is_plain_pickle "$f" && [ "$(stat -c %s "$f")" -le 4096 ]; then
                for sel in 1 2 3 4 5 6 7; do
                    { printf "\\00$sel"; cat "$f"; } >"$dir/$i"
                    i=$((i + 1))
                done
            fi
        done < <(small_files)
        ;;
    *)
        while IFS= read -r f; do
            case "$name:$f" in fuzz_pickle:*.npy) continue ;; esac
            cp "$f" "$dir/$i"
            i=$((i + 1))
        done < <(small_files)
        ;;
    esac
    echo "$i"
}

# ---- a dictionary of pickle, numpy and joblib tokens -----------------------------
DICT=$WORK/pickle.dict
mkdir -p "$WORK"
cat >"$DICT" <<'EOF'
"\x80\x02"
"\x80\x04\x95"
"\x80\x05\x95"
"\x95\x00\x00\x00\x00\x00\x00\x00\x00"
"\x8c\x05numpy\x94"
"\x93\x94"
"cnumpy\x0adtype\x0a"
"cnumpy\x0andarray\x0a"
"cnumpy.core.multiarray\x0a_reconstruct\x0a"
"cnumpy.core.multiarray\x0ascalar\x0a"
"cnumpy.core.numeric\x0a_frombuffer\x0a"
"cnumpy._core.multiarray\x0a_reconstruct\x0a"
"cjoblib.numpy_pickle\x0aNumpyArrayWrapper\x0a"
"cjoblib.numpy_pickle\x0aNDArrayWrapper\x0a"
"cjoblib.numpy_pickle\x0aZNDArrayWrapper\x0a"
"ccopy_reg\x0a_reconstructor\x0a"
"c__builtin__\x0aobject\x0a"
"c_codecs\x0aencode\x0a"
"cbuiltins\x0aset\x0a"
"ccollections\x0aOrderedDict\x0a"
"csklearn.tree._tree\x0aTree\x0a"
"csklearn.linear_model._base\x0aLinearRegression\x0a"
"csklearn.pipeline\x0aPipeline\x0a"
"cposix\x0asystem\x0a"
"\x8c\x08subclass"
"\x8c\x05shape"
"\x8c\x05order"
"\x8c\x05dtype"
"\x8c\x0aallow_mmap"
"\x8c\x1bnumpy_array_alignment_bytes"
"\x8c\x08filename"
"\x8c\x02f8"
"\x8c\x02O8"
"\x8c\x03V56"
"\x8c\x01<"
"\x8c\x01|"
"\x8c\x01C"
"\x8c\x01F"
"\x8c\x10_sklearn_version"
"\x8c\x05tree_"
"\x8c\x0anode_count"
"\x8c\x05nodes"
"\x89\x88\x87R"
")\x81}"
"(K\x03"
"J\xff\xff\xff\xff"
"K\x10"
"]q\x00(e"
"}q\x00(u"
"\x8e\x00\x00\x00\x00\x00\x00\x00\x10"
"\x96\x00\x00\x00\x00\x00\x00\x00\x10"
"\x8a\x09"
"\x8b\x00\x00\x00\x80"
"r\xff\xff\xff\xff"
"j\xff\xff\xff\xff"
"ZF0x"
"x\x9c"
"\x1f\x8b\x08\x00"
"BZh9"
"\xfd7zXZ\x00"
"\x5d\x00\x00\x80\x00"
"\x04\x22\x4d\x18"
"\x93NUMPY\x01\x00"
EOF

# HDF5 structures (signatures of the file format's objects) and the names
# and values of the archive layout (schemas/hdf5-layout.md)
H5DICT=$WORK/hdf5.dict
cat >"$H5DICT" <<'EOF'
"\x89HDF\x0d\x0a\x1a\x0a"
"OHDR"
"OCHK"
"TREE"
"HEAP"
"SNOD"
"GCOL"
"FRHP"
"FHDB"
"FHIB"
"FSHD"
"FSSE"
"BTHD"
"BTIN"
"BTLF"
"SMTB"
"SMLI"
"\xff\xff\xff\xff\xff\xff\xff\xff"
"modelconv_format"
"modelconv model archive"
"format_version"
"1.0"
"source_protocol"
"python2"
"@estimator"
"@family"
"@task"
"@n_features"
"@n_outputs"
"@name"
"@kind"
"@dtype"
"@dtype_state"
"@order"
"@class"
"@via"
"@ctor"
"@keys"
"tensors"
"classes"
"children"
"params"
"state"
"ndarray"
"tree_ensemble"
"linear"
"pipeline"
"classifier"
"regressor"
"tree_offsets"
"threshold"
"<f8"
"<i8"
EOF

# CSV: separators, quoting, line ends and the number forms strtod reads
CSVDICT=$WORK/csv.dict
cat >"$CSVDICT" <<'EOF'
","
"\x0d\x0a"
"\x0a"
"\""
"nan"
"NaN"
"inf"
"-inf"
"infinity"
"nan(0x7)"
"0x1p-1074"
"1e308"
"4.9e-324"
"-0"
"e+"
"\x93NUMPY\x01\x00"
EOF

# Each leak artifact of fuzz_hdf5 again, with full stacks: "libhdf5" when
# every leaked block was allocated under H5C_protect (libhdf5's metadata
# cache loading an object header; the known leaks listed in fuzz_hdf5.c),
# "NEW" otherwise.  Only labels: the artifacts stay, the exit status too.
classify_hdf5_leaks() {
    local bin=$1 dir=$2 a out known=0 new=0
    for a in "$dir"/leak-*; do
        [ -e "$a" ] || continue
        out=$(ASAN_OPTIONS=fast_unwind_on_malloc=0 "$bin" "$a" 2>&1 || true)
        if echo "$out" | awk '/^(Direct|Indirect) leak/ {n++; h[n] = 0; next}
                /in H5C_protect / {if (n) h[n] = 1}
                END {if (!n) exit 1; for (i = 1; i <= n; i++) if (!h[i]) exit 1}'; then
            known=$((known + 1))
        else
            new=$((new + 1))
            echo "   NEW leak (not inside libhdf5's metadata cache): $a"
        fi
    done
    echo "   leaks: $known inside libhdf5's metadata cache (known), $new new"
    # fork mode writes the empty input as a crash when a child's leak check
    # at exit (not tied to one input) fails; rerun the corpus to see those
    if [ -e "$dir/crash-da39a3ee5e6b4b0d3255bfef95601890afd80709" ]; then
        echo "   crash-da39a3ee... (empty): a leak reported as a child exited;" \
            "see ASAN_OPTIONS=fast_unwind_on_malloc=0 $bin -runs=0 CORPUS"
    fi
}

status=0
summary=()
for name in "${FUZZERS[@]}"; do
    bin=$BUILD/tests/fuzz/$name
    if [ ! -x "$bin" ]; then
        echo "no fuzzer $bin" >&2
        status=1
        continue
    fi
    n=$(make_seeds "$name")
    corpus=$WORK/corpus/$name
    artifacts=$WORK/artifacts/$name
    log=$WORK/logs/$name.log
    mkdir -p "$corpus" "$artifacts" "$WORK/logs"
    case "$name" in
    fuzz_hdf5) dict=$H5DICT ;;
    fuzz_csv) dict=$CSVDICT ;;
    *) dict=$DICT ;;
    esac
    echo "== $name: ${SECS}s, $n seeds, corpus $corpus"
    parallel=()
    if [ "$JOBS" -gt 1 ]; then
        parallel=(-jobs="$JOBS" -workers="$JOBS")
    elif [ "$name" = fuzz_hdf5 ]; then
        # libhdf5 1.10 leaks when an object header fails to load (see the
        # top of fuzz_hdf5.c), which the fuzzer meets within seconds: in
        # fork mode it keeps every artifact and goes on
        parallel=(-fork=1 -ignore_crashes=1)
    fi
    set +e
    # shellcheck disable=SC2086
    (cd "$WORK/logs" && "$bin" "$corpus" "$WORK/seeds/$name" -dict="$dict" \
        -max_len="$MAX_LEN" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2560 \
        -malloc_limit_mb=2048 -artifact_prefix="$artifacts/" -print_final_stats=1 \
        "${parallel[@]}" ${MC_FUZZ_ARGS:-}) >"$log" 2>&1
    rc=$?
    if [ "$JOBS" -gt 1 ]; then
        cat "$WORK"/logs/fuzz-*.log >>"$log" 2>/dev/null
        rm -f "$WORK"/logs/fuzz-*.log
    fi
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | awk '{s += $2} END {print s + 0}')
    if [ "$execs" = 0 ]; then # fork mode: the parent's "#EXECS: cov: ..." lines
        execs=$(grep -oE '^#[0-9]+: cov:' "$log" | tail -1 | tr -dc 0-9)
    fi
    cov=$(grep -oE '((INITED|DONE|REDUCE|NEW|pulse) +|^#[0-9]+: )cov: [0-9]+ ft: [0-9]+' "$log" |
        tail -1 | sed -E 's/.*cov: ([0-9]+) ft: ([0-9]+)/cov \1 ft \2/')
    set -e
    found=$(find "$artifacts" -type f | wc -l)
    summary+=("$(printf '%-16s %10s execs  %-22s corpus %5s  artifacts %s  (exit %s)' "$name" \
        "$execs" "${cov:-cov ?}" "$(find "$corpus" -type f | wc -l)" "$found" "$rc")")
    if [ "$rc" != 0 ] || [ "$found" != 0 ]; then
        status=1
        echo "   found something: see $log"
        find "$artifacts" -type f | sed 's/^/   artifact: /'
        grep -m5 -E 'ERROR|SUMMARY|invariant' "$log" | sed 's/^/   /' || true
        if [ "$name" = fuzz_hdf5 ]; then
            classify_hdf5_leaks "$bin" "$artifacts"
        fi
    fi
done

echo
echo "== summary (${SECS}s each)"
printf '%s\n' "${summary[@]}"
exit "$status"
