// The scalar in-node search kernels against std::lower_bound / std::upper_bound, for every
// length and probe, including runs of equal keys.
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "bptree/detail/search.hpp"

using bptree::detail::identity_key;
using bptree::detail::lower_bound_index;
using bptree::detail::upper_bound_index;

TEMPLATE_TEST_CASE("scalar kernels match std::lower_bound and std::upper_bound", "[search]", int, double,
                   std::string) {
    auto make = [](int i) {
        if constexpr (std::is_same_v<TestType, std::string>) {
            return std::to_string(1000 + i);
        } else {
            return static_cast<TestType>(i);
        }
    };
    for (int n = 0; n <= 40; ++n) {
        for (int dup = 1; dup <= 3; ++dup) {
            std::vector<TestType> keys;
            for (int i = 0; i < n; ++i) keys.push_back(make(2 * (i / dup)));
            for (int probe = -1; probe <= 2 * n + 1; ++probe) {
                const TestType k = make(probe);
                const auto lo = static_cast<std::size_t>(std::lower_bound(keys.begin(), keys.end(), k) - keys.begin());
                const auto hi = static_cast<std::size_t>(std::upper_bound(keys.begin(), keys.end(), k) - keys.begin());
                INFO("n=" << n << " dup=" << dup << " probe=" << probe);
                CHECK(lower_bound_index(keys.data(), keys.size(), k, std::less<>(), identity_key{}) == lo);
                CHECK(upper_bound_index(keys.data(), keys.size(), k, std::less<>(), identity_key{}) == hi);
            }
        }
    }
}

TEST_CASE("scalar kernels honour a descending comparator", "[search]") {
    const std::vector<int> keys{9, 7, 7, 5, 3, 1};
    for (int probe = 0; probe <= 10; ++probe) {
        const auto lo = std::lower_bound(keys.begin(), keys.end(), probe, std::greater<>()) - keys.begin();
        const auto hi = std::upper_bound(keys.begin(), keys.end(), probe, std::greater<>()) - keys.begin();
        CHECK(lower_bound_index(keys.data(), keys.size(), probe, std::greater<>(), identity_key{}) ==
              static_cast<std::size_t>(lo));
        CHECK(upper_bound_index(keys.data(), keys.size(), probe, std::greater<>(), identity_key{}) ==
              static_cast<std::size_t>(hi));
    }
}
