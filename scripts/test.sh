#!/usr/bin/env bash
# Install dependencies, build, and run the whole test suite (ctest).
# With --sanitize, build into build-asan with AddressSanitizer and UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
if [ "${1:-}" = "--sanitize" ]; then
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DMC_SANITIZE=ON -DMC_WERROR=ON >/dev/null
  ninja -C build-asan
  ctest --test-dir build-asan --output-on-failure -j2
else
  scripts/build.sh
  ctest --test-dir build --output-on-failure -j2
fi
