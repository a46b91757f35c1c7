// File: bptree/detail/config.hpp
// Layer: configuration (bottom). Version, feature tests and the BPTREE_ macros every other header
// uses. Includes standard headers, xsimd's version header when xsimd is present, and
// gdb_printers.hpp (the embedded gdb pretty printers).
#ifndef BPTREE_DETAIL_CONFIG_HPP
#define BPTREE_DETAIL_CONFIG_HPP

#include <cassert>
#include <cstddef>

#include "bptree/detail/gdb_printers.hpp"  // gdb pretty printers in .debug_gdb_scripts (ELF)

#define BPTREE_VERSION_MAJOR 0
#define BPTREE_VERSION_MINOR 1
#define BPTREE_VERSION_PATCH 0

// Assertions: on in debug builds (no NDEBUG) or when BPTREE_ENABLE_ASSERTS is defined to 1.
#if !defined(BPTREE_ENABLE_ASSERTS)
#if defined(NDEBUG)
#define BPTREE_ENABLE_ASSERTS 0
#else
#define BPTREE_ENABLE_ASSERTS 1
#endif
#endif

#define BPTREE_HAS_ASSERTS() (BPTREE_ENABLE_ASSERTS)

// Debug checks (on with assertions unless set): the comparator is checked for strict weak
// ordering on every call, and iterators carry the generation of their container so that using
// one after an insert or erase asserts. They change the iterator's layout, so every translation
// unit of a program must agree on this setting; in release builds they compile to nothing.
#if !defined(BPTREE_DEBUG_CHECKS)
#define BPTREE_DEBUG_CHECKS BPTREE_ENABLE_ASSERTS
#endif
#define BPTREE_HAS_DEBUG_CHECKS() (BPTREE_DEBUG_CHECKS)

#if defined(__GNUC__) || defined(__clang__)
#define BPTREE_LIKELY(x) __builtin_expect(!!(x), 1)
#define BPTREE_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define BPTREE_NOINLINE __attribute__((noinline))
#define BPTREE_ALWAYS_INLINE inline __attribute__((always_inline))
#if !defined(BPTREE_PREFETCH)
#define BPTREE_PREFETCH(p) __builtin_prefetch(p)
#endif
#else
#define BPTREE_LIKELY(x) (x)
#define BPTREE_UNLIKELY(x) (x)
#define BPTREE_NOINLINE
#define BPTREE_ALWAYS_INLINE inline
#if !defined(BPTREE_PREFETCH)
#define BPTREE_PREFETCH(p) ((void)(p))
#endif
#endif

#if BPTREE_HAS_ASSERTS()
#define BPTREE_ASSERT(cond) assert(cond)
#define BPTREE_ASSUME(cond) assert(cond)
#else
#define BPTREE_ASSERT(cond) ((void)0)
#if defined(__clang__)
#define BPTREE_ASSUME(cond) __builtin_assume(cond)
#elif defined(__GNUC__)
#define BPTREE_ASSUME(cond) ((cond) ? (void)0 : __builtin_unreachable())
#else
#define BPTREE_ASSUME(cond) ((void)0)
#endif
#endif

// SIMD in-node search needs xsimd 8 (the kernels are written and tested against Debian's 8.1; other
// major versions changed the API, so they get the scalar path); define BPTREE_DISABLE_SIMD to force
// the scalar path.
#if !defined(BPTREE_DISABLE_SIMD) && defined(__has_include)
#if __has_include(<xsimd/xsimd.hpp>) && __has_include(<xsimd/config/xsimd_config.hpp>)
#include <xsimd/config/xsimd_config.hpp>
#if XSIMD_VERSION_MAJOR == 8
#define BPTREE_XSIMD_AVAILABLE 1
#endif
#endif
#endif
#if defined(BPTREE_XSIMD_AVAILABLE)
#define BPTREE_HAS_XSIMD() 1
#else
#define BPTREE_HAS_XSIMD() 0
#endif

// The inline namespace every bptree container, adaptor and engine type lives in, named after the
// instruction set the in-node search is compiled for. Translation units built with different -m
// flags (one with -mavx2, one without) then instantiate distinct symbols, instead of inline
// functions of the same name whose AVX2 copy the linker might pick for the whole program (an ODR
// violation that crashes on a CPU without AVX2). Such TUs cannot pass containers to each other: a
// link error, not a silent fault. bptree::error, tree_stats and the traits are outside it.
#if !defined(BPTREE_ABI_NAMESPACE)
#if !BPTREE_HAS_XSIMD()
#define BPTREE_ABI_NAMESPACE abi_v0_scalar
#elif defined(__AVX512BW__)
#define BPTREE_ABI_NAMESPACE abi_v0_avx512bw
#elif defined(__AVX512F__)
#define BPTREE_ABI_NAMESPACE abi_v0_avx512f
#elif defined(__AVX2__)
#define BPTREE_ABI_NAMESPACE abi_v0_avx2
#elif defined(__AVX__)
#define BPTREE_ABI_NAMESPACE abi_v0_avx
#elif defined(__SSE4_2__)
#define BPTREE_ABI_NAMESPACE abi_v0_sse4_2
#elif defined(__SSE4_1__)
#define BPTREE_ABI_NAMESPACE abi_v0_sse4_1
#elif defined(__SSSE3__)
#define BPTREE_ABI_NAMESPACE abi_v0_ssse3
#elif defined(__SSE3__)
#define BPTREE_ABI_NAMESPACE abi_v0_sse3
#elif defined(__SSE2__) || defined(_M_X64)
#define BPTREE_ABI_NAMESPACE abi_v0_sse2
#elif defined(__ARM_NEON)
#define BPTREE_ABI_NAMESPACE abi_v0_neon
#else
#define BPTREE_ABI_NAMESPACE abi_v0_generic
#endif
#endif

#if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
#define BPTREE_HAS_EXCEPTIONS() 1
#else
#define BPTREE_HAS_EXCEPTIONS() 0
#endif

#if __cplusplus >= 202002L
#define BPTREE_HAS_CXX20() 1
#else
#define BPTREE_HAS_CXX20() 0
#endif

#endif  // BPTREE_DETAIL_CONFIG_HPP
