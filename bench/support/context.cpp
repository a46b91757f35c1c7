// Benchmark support: the JSON context of a run: compiler, flags, ISA, node sizes, peers and the
// measuring method, so a results file explains itself.
#include <cstdint>
#include <cstdio>
#include <string>

#include "bptree/set.hpp"
#include "bptree/traits.hpp"
#include "support/harness.hpp"
#include "support/keys.hpp"
#include "support/progress.hpp"
#include "support/timing.hpp"

#if BPTREE_HAS_XSIMD()
#include <xsimd/xsimd.hpp>
#endif
#if defined(BPTREE_BENCH_HAVE_ABSL)
#include "absl/base/config.h"
#endif

#if !defined(BPTREE_BENCH_FLAGS)
#define BPTREE_BENCH_FLAGS "unknown"
#endif
#if !defined(BPTREE_BENCH_BUILD_TYPE)
#define BPTREE_BENCH_BUILD_TYPE "unknown"
#endif

namespace bptree_bench {

namespace {

std::string compiler() {
#if defined(__clang__)
    return std::string("clang++ ") + __clang_version__;
#elif defined(__GNUC__)
    return std::string("g++ ") + __VERSION__;
#else
    return "unknown";
#endif
}

// The widest x86 vector extension this translation unit was compiled for.
std::string target_isa() {
#if defined(__AVX512BW__)
    return "avx512bw";
#elif defined(__AVX512F__)
    return "avx512f";
#elif defined(__AVX2__)
    return "avx2";
#elif defined(__AVX__)
    return "avx";
#elif defined(__SSE4_2__)
    return "sse4.2";
#elif defined(__SSE2__)
    return "sse2";
#elif defined(__aarch64__)
    return "aarch64";
#else
    return "generic";
#endif
}

std::string xsimd_arch() {
#if BPTREE_HAS_XSIMD()
    return std::string(xsimd::default_arch::name()) + " (xsimd " + std::to_string(XSIMD_VERSION_MAJOR) + "." +
           std::to_string(XSIMD_VERSION_MINOR) + "." + std::to_string(XSIMD_VERSION_PATCH) + ")";
#else
    return "none (xsimd headers not found or BPTREE_DISABLE_SIMD)";
#endif
}

template <class Key>
std::string slots() {
    const auto s = bptree::set<Key>().stats();
    return std::to_string(s.leaf_slots) + " per leaf, " + std::to_string(s.inner_slots) + " children per inner node";
}

std::string sizes() {
    std::string s;
    for (const std::size_t n : options().sizes) s += (s.empty() ? "" : ",") + std::to_string(n);
    return s;
}

const char* latency_name() {
    switch (options().latency) {
        case latency_mode::none: return "none";
        case latency_mode::main: return "main operations";
        case latency_mode::all: return "all operations";
    }
    return "?";
}

// The default leaf size: fixed, or picked per value (then as the engine picks it for the two
// value types measured).
std::string leaf_bytes() {
    constexpr std::size_t fixed = bptree::default_traits::leaf_node_bytes;
    if (fixed != 0) return std::to_string(fixed) + " B";
    using bptree::detail::automatic_leaf_bytes;
    return std::to_string(automatic_leaf_bytes(sizeof(std::int64_t))) + " B for int64, " +
           std::to_string(automatic_leaf_bytes(sizeof(score_member))) + " B for score_member";
}

}  // namespace

void add_run_context() {
    using benchmark::AddCustomContext;
    AddCustomContext("bptree.version", std::to_string(BPTREE_VERSION_MAJOR) + "." + std::to_string(BPTREE_VERSION_MINOR) +
                                           "." + std::to_string(BPTREE_VERSION_PATCH));
    AddCustomContext("bptree.compiler", compiler());
    AddCustomContext("bptree.flags", BPTREE_BENCH_FLAGS);
    AddCustomContext("bptree.build_type", BPTREE_BENCH_BUILD_TYPE);
#if defined(NDEBUG)
    AddCustomContext("bptree.assertions", "off");
#else
    AddCustomContext("bptree.assertions", "ON (no NDEBUG): the numbers are not representative");
#endif
    AddCustomContext("bptree.isa", target_isa());
    AddCustomContext("bptree.xsimd_arch", xsimd_arch());
    AddCustomContext("bptree.leaf_node_bytes", leaf_bytes());
    AddCustomContext("bptree.inner_node_bytes", std::to_string(bptree::default_traits::inner_node_bytes));
    AddCustomContext("bptree.slots.int64", slots<std::int64_t>());
    AddCustomContext("bptree.slots.score_member", slots<score_member>());
    std::string peers = "std";
#if defined(BPTREE_BENCH_HAVE_ABSL)
    peers += ", absl " + std::to_string(ABSL_LTS_RELEASE_VERSION);
#endif
#if defined(BPTREE_BENCH_HAVE_PBDS)
    peers += ", pbds";
#endif
    AddCustomContext("bptree.peers", peers);
    AddCustomContext("bptree.sizes", sizes());
    AddCustomContext("bptree.latency", latency_name());
    AddCustomContext("bptree.linear_cap", std::to_string(options().linear_cap));
    char overhead[32];
    std::snprintf(overhead, sizeof overhead, "%.1f", clock_overhead_ns());
    AddCustomContext("bptree.clock_overhead_ns", overhead);
    AddCustomContext("bptree.method",
                     "steady state at n entries; each iteration times one batch of operations (manual time); "
                     "latency = per-op average of batches of lat_batch ops, clock overhead subtracted; "
                     "bytes_per_entry = bytes requested from the allocator / n; checksums checked against std");
}

}  // namespace bptree_bench
