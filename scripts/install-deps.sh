#!/usr/bin/env bash
# Install what building and testing modelconv needs on Debian (bookworm):
# the C toolchain and the libraries the library links against.  Python is
# only for tests and fixtures (see tests/python/requirements.txt).
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config
  zlib1g-dev libdeflate-dev libbz2-dev liblzma-dev liblz4-dev
  libhdf5-dev hdf5-tools libprotobuf-c-dev protobuf-c-compiler
  libcmocka-dev python3-venv
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi
