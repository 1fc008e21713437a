/* libFuzzer harness: the pickle reader on the raw input.
 *
 * Each input goes through mc_read_memory with small limits, plainly and in
 * scan mode.  A document that reads is walked completely (every value, every
 * array's first and last byte, every dtype) to check the invariants value.h
 * promises; then the input is run through `modelconv inspect`, `inspect
 * --json` and `scan` as the CLI runs them (output to /dev/null), since
 * printing a hostile graph is where recursion and quadratic walks hide.
 * The input may also be a compressed joblib container (detected by its
 * first bytes, as for a file); fuzz_joblib.c compresses inputs itself.
 *
 * Build and run: tests/fuzz/run.sh (tests/fuzz/CMakeLists.txt).
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    read_and_print(data, size);
    return 0;
}
