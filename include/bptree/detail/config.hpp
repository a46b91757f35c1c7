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
