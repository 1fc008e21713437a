#!/usr/bin/env bash
# Configure and build modelconv into build/ (Release with debug info).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMC_WERROR=ON >/dev/null
ninja -C build
