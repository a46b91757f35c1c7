#!/usr/bin/env bash
# Lane: bptree as its users consume it (tests/cmake_consumer/). Installs bptree the way a packager
# does (tests off), moves the install tree, and builds tests/cmake_consumer/main.cpp through
#   1. find_package(bptree 0.1 CONFIG) from the moved prefix (relocatable package);
#   2. find_package(bptree 1), (bptree 0.2) and (bptree 0.0): the installed 0.1.0 must be refused
#      (0.x: SameMinorVersion), and the version file is ARCH_INDEPENDENT;
#   3. add_subdirectory: nothing of bptree's but the library appears in the parent project;
#   4. FetchContent from the local source tree, and FetchContent with FIND_PACKAGE_ARGS, which
#      must take the installed package instead;
#   5. pkg-config from the moved prefix (bptree.pc is relocatable);
#   6. without xsimd on the include path (the installed headers then use the scalar search),
#      and with it (SIMD on when /usr/include/xsimd exists);
#   7. the vcpkg port and the Conan recipe (packaging/) match the install tree
#      (packaging/check_packaging.py), and Conan's test_package builds against the install tree.
# Usage: scripts/test-lanes/consumers.sh   (JOBS: parallel build jobs; builds in
#        ${LANE_BUILD_ROOT:-build}/lane-consumers)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
out=$root/${LANE_BUILD_ROOT:-build}/lane-consumers
jobs=${JOBS:-2}
start=$SECONDS
rm -rf "$out"
mkdir -p "$out"
export CTEST_OUTPUT_ON_FAILURE=1

step() { echo "--- consumers: $*"; }
fail() {
    echo "consumers lane FAILED: $*" >&2
    exit 1
}
configure() { cmake -G Ninja -Wno-dev "$@" >"$out/last-configure.log" 2>&1 || { cat "$out/last-configure.log"; return 1; }; }
build_and_test() {
    cmake --build "$1" -j "$jobs" >"$out/last-build.log" 2>&1 || { cat "$out/last-build.log"; return 1; }
    ctest --test-dir "$1" --no-tests=error -V >"$out/last-test.log" 2>&1 || { cat "$out/last-test.log"; return 1; }
    grep -o "bptree consumer: .*" "$out/last-test.log"
}

step "install (a packager's configure: nothing but the library)"
configure -S . -B "$out/bptree" -DCMAKE_BUILD_TYPE=Release -DBPTREE_BUILD_TESTS=OFF -DBPTREE_BUILD_BENCH=OFF \
    -DBPTREE_BUILD_DOCS=OFF
cmake --build "$out/bptree" >/dev/null
cmake --install "$out/bptree" --prefix "$out/prefix" >/dev/null
for f in include/bptree/bptree.hpp include/bptree/detail/gdb_printers.hpp share/cmake/bptree/bptreeConfig.cmake \
    share/cmake/bptree/bptreeConfigVersion.cmake share/cmake/bptree/bptreeTargets.cmake share/pkgconfig/bptree.pc \
    share/bptree/gdb/bptree_printers.py share/bptree/natvis/bptree.natvis share/doc/bptree/LICENSE; do
    [[ -f $out/prefix/$f ]] || fail "install tree lacks $f"
done
grep -q 'if("TRUE")' "$out/prefix/share/cmake/bptree/bptreeConfigVersion.cmake" ||
    fail "the version file is not ARCH_INDEPENDENT"
if grep -qi xsimd "$out/prefix/share/cmake/bptree/bptreeTargets.cmake" ||
    grep -q find_dependency "$out/prefix/share/cmake/bptree/bptreeConfig.cmake"; then
    fail "the CMake package depends on another package (xsimd is found by __has_include only)"
fi
# Every later consumer uses the moved tree: nothing may point back at the install prefix.
mv "$out/prefix" "$out/moved"

step "1. find_package from the moved prefix"
configure -S tests/cmake_consumer/installed -B "$out/installed" -DCMAKE_PREFIX_PATH="$out/moved"
grep "consumer: found" "$out/last-configure.log"
build_and_test "$out/installed"

step "2. incompatible versions are refused"
for request in 1 0.2 0.0; do
    configure -S tests/cmake_consumer/version_refused -B "$out/refused-$request" \
        -DCMAKE_PREFIX_PATH="$out/moved" -DBPTREE_REQUEST=$request
    grep "consumer: bptree" "$out/last-configure.log"
done

step "3. add_subdirectory"
configure -S tests/cmake_consumer/subdirectory -B "$out/subdirectory" -DBPTREE_SOURCE_DIR="$root"
build_and_test "$out/subdirectory"
[[ $(ctest --test-dir "$out/subdirectory" -N | grep -c 'Test *#') == 1 ]] || fail "bptree registered tests"
cmake --install "$out/subdirectory" --prefix "$out/subdirectory-prefix" >/dev/null
leaked=$(cd "$out/subdirectory-prefix" && find . -type f ! -path ./bin/consumer)
[[ -z $leaked ]] || fail "bptree's install rules ran in the parent project: $leaked"

step "4. FetchContent (source, then FIND_PACKAGE_ARGS with the installed package)"
configure -S tests/cmake_consumer/fetchcontent -B "$out/fetch-source" -DBPTREE_SOURCE_DIR="$root" \
    -DBPTREE_EXPECT=source
grep "consumer: FetchContent" "$out/last-configure.log"
build_and_test "$out/fetch-source"
configure -S tests/cmake_consumer/fetchcontent -B "$out/fetch-package" -DBPTREE_SOURCE_DIR="$root" \
    -DBPTREE_EXPECT=package -DBPTREE_TRY_FIND_PACKAGE=ON -DCMAKE_PREFIX_PATH="$out/moved"
grep "consumer: FetchContent" "$out/last-configure.log"
build_and_test "$out/fetch-package"

step "5. pkg-config from the moved prefix"
export PKG_CONFIG_PATH=$out/moved/share/pkgconfig
[[ $(pkg-config --modversion bptree) == "$(sed -n 's/^project(bptree VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)" ]] ||
    fail "pkg-config --modversion bptree: $(pkg-config --modversion bptree)"
cflags=$(pkg-config --cflags bptree)
include_dir=${cflags#-I}
include_dir=${include_dir%% *}  # pkg-config ends the list with a space
[[ $cflags == -I* && $(realpath "$include_dir") == "$out/moved/include" ]] || fail "pkg-config --cflags bptree: $cflags"
# shellcheck disable=SC2086  # cflags is a flag list
c++ -std=c++17 -Wall -Wextra -Wpedantic -Werror $cflags tests/cmake_consumer/main.cpp -o "$out/pkgconfig-consumer"
"$out/pkgconfig-consumer" | tee "$out/pkgconfig.out"
grep -q "bptree consumer: ok" "$out/pkgconfig.out" || fail "pkg-config consumer"

step "6. with and without xsimd on the include path"
if [[ -f /usr/include/xsimd/xsimd.hpp ]]; then
    grep -q "simd=1" "$out/pkgconfig.out" || fail "xsimd is installed but the consumer did not use it"
fi
# The compiler's own include path with every directory that holds xsimd/ replaced by a copy
# (symlinks) without it: exactly what a machine without xsimd sees.
no_xsimd=(-nostdinc)
n=0
while read -r dir; do
    if [[ -e $dir/xsimd ]]; then
        n=$((n + 1))
        farm=$out/no-xsimd-include-$n
        mkdir -p "$farm"
        for entry in "$dir"/*; do
            [[ $(basename "$entry") == xsimd ]] || ln -s "$entry" "$farm/"
        done
        dir=$farm
    fi
    no_xsimd+=(-isystem "$dir")
done < <(echo | c++ -std=c++17 -xc++ -E -v - 2>&1 | sed -n '/search starts here/,/End of search list/p' | sed -n 's/^ //p')
# shellcheck disable=SC2086
c++ -std=c++17 -Wall -Wextra -Wpedantic -Werror "${no_xsimd[@]}" $cflags tests/cmake_consumer/main.cpp \
    -o "$out/no-xsimd-consumer"
"$out/no-xsimd-consumer" | tee "$out/no-xsimd.out"
grep -q "bptree consumer: ok, .*simd=0" "$out/no-xsimd.out" || fail "consumer without xsimd"

step "7. packaging: the vcpkg port and the Conan recipe against the install tree"
"${PYTHON:-python3}" packaging/check_packaging.py "$out/moved"
configure -S packaging/conan/test_package -B "$out/conan-test-package" -DCMAKE_PREFIX_PATH="$out/moved"
cmake --build "$out/conan-test-package" >"$out/last-build.log" 2>&1 || { cat "$out/last-build.log"; exit 1; }
"$out/conan-test-package/test_package"

echo "consumers lane: passed in $((SECONDS - start)) s (7 steps)"
