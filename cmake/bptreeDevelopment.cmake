# Helpers for bptree's own tests and benchmarks (never applied to the library target users see).

# Warnings as errors for our own code. GCC 12 reports false 'maybe-uninitialized' warnings from its
# own AVX-512 intrinsic headers at our call sites (GCC PR 105593), so that one stays a warning.
function(bptree_target_warnings target)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror
        $<$<CXX_COMPILER_ID:GNU>:-Wno-error=maybe-uninitialized>)
endfunction()

# Tests run in Debug with assertions on; -Og keeps randomized suites fast enough and avoids the
# g++ 12 -O0 + AVX-512 failure inside xsimd 8.1 (xtensor-stack/xsimd#852).
function(bptree_target_test_flags target)
    bptree_target_warnings(${target})
    target_compile_definitions(${target} PRIVATE BPTREE_ENABLE_ASSERTS=1 _GLIBCXX_ASSERTIONS)
    target_compile_options(${target} PRIVATE $<$<CONFIG:Debug>:-Og>)
endfunction()
