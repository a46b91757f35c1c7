#!/usr/bin/env bash
# Installs, with apt-get, the Debian 12 packages bptree's tests, benchmarks and tools need and that
# are missing. Run as root (or with sudo). Usage: scripts/install-deps.sh
set -euo pipefail

packages=(
    cmake ninja-build g++ clang libclang-rt-14-dev   # build; clang for the fuzzers
    catch2                                           # tests
    libbenchmark-dev libabsl-dev gnuplot-nox         # benchmarks: Google Benchmark, absl peer, charts
    libxsimd-dev                                     # SIMD in-node search
    redis-server                                     # conformance oracle for the command layer
    gdb python3                                      # debugger pretty-printer test
    clang-tidy clang-format                          # tooling lanes (tidy.sh, format.sh)
    doxygen                                          # API reference (docs.sh)
    pkgconf                                          # pkg-config consumer test (consumers.sh)
)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
    echo "install-deps: everything is installed"
    exit 0
fi
echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
