// Test support: fixed seeds for randomized tests, overridable with BPTREE_TEST_SEED, and printed
// by Catch (INFO) so a failure names the seed that reproduces it. Never random_device.
#ifndef BPTREE_TESTS_SUPPORT_TEST_SEED_HPP
#define BPTREE_TESTS_SUPPORT_TEST_SEED_HPP

#include <cstdint>
#include <cstdlib>
#include <string>

namespace bptree_test {

// The seed for a test: BPTREE_TEST_SEED when set, otherwise `fallback`.
inline std::uint64_t test_seed(std::uint64_t fallback) {
    if (const char* env = std::getenv("BPTREE_TEST_SEED")) return std::strtoull(env, nullptr, 10);
    return fallback;
}

// A multiplier for the length of randomized tests (BPTREE_TEST_SCALE, default 1).
inline std::size_t test_scale() {
    if (const char* env = std::getenv("BPTREE_TEST_SCALE")) {
        const unsigned long v = std::strtoul(env, nullptr, 10);
        return v == 0 ? 1 : v;
    }
    return 1;
}

}  // namespace bptree_test

#endif  // BPTREE_TESTS_SUPPORT_TEST_SEED_HPP
