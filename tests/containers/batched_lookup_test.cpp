// Batched lookups (find_many, lower_bound_many, rank_many) give exactly what one call per key
// gives: hits and misses, below the front and past the back, equal runs in multi containers,
// every batch length around the interleaving width, tiny and default nodes, heterogeneous keys.
#include <catch2/catch.hpp>

#include <cstdint>
#include <functional>
#include <iterator>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "bptree/map.hpp"
#include "bptree/set.hpp"
#include "support/test_seed.hpp"

namespace {

using tiny = bptree::slot_traits<3, 4>;

// Checks every batched lookup of `probes` against the single-key members, on c and on const c.
template <class Container, class Probe>
void check_batched(const Container& c, const std::vector<Probe>& probes) {
    using const_iterator = typename Container::const_iterator;
    std::vector<const_iterator> found, lower;
    std::vector<std::size_t> ranks;
    c.find_many(probes.begin(), probes.end(), std::back_inserter(found));
    c.lower_bound_many(probes.begin(), probes.end(), std::back_inserter(lower));
    c.rank_many(probes.begin(), probes.end(), std::back_inserter(ranks));
    REQUIRE(found.size() == probes.size());
    REQUIRE(lower.size() == probes.size());
    REQUIRE(ranks.size() == probes.size());
    for (std::size_t j = 0; j < probes.size(); ++j) {
        INFO("probe " << j);
        CHECK(found[j] == c.find(probes[j]));
        CHECK(lower[j] == c.lower_bound(probes[j]));
        CHECK(ranks[j] == c.rank(probes[j]));
    }
}

template <class Container>
void check_random_keys(std::uint64_t salt) {
    const std::uint64_t seed = bptree_test::test_seed(salt);
    INFO("seed " << seed);
    std::mt19937_64 rng(seed);
    for (const std::size_t size : {0u, 1u, 15u, 16u, 17u, 700u, 20000u}) {
        INFO("size " << size);
        Container c;
        std::uniform_int_distribution<std::int64_t> key(0, static_cast<std::int64_t>(2 * size + 10));
        while (c.size() < size) c.insert(typename Container::value_type(key(rng)));
        c.verify();
        std::vector<std::int64_t> probes;
        for (const std::size_t m : {0u, 1u, 15u, 16u, 17u, 33u, 1000u}) {
            probes.clear();
            probes.push_back(-5);                                         // below the front
            probes.push_back(static_cast<std::int64_t>(2 * size + 20));  // past the back
            while (probes.size() < m + 2) probes.push_back(key(rng));
            check_batched(c, probes);
        }
    }
}

}  // namespace

TEMPLATE_TEST_CASE("batched lookups equal one lookup per key", "[batched]", (bptree::set<std::int64_t>),
                   (bptree::multiset<std::int64_t>),
                   (bptree::set<std::int64_t, std::less<std::int64_t>, std::allocator<std::int64_t>, tiny>),
                   (bptree::multiset<std::int64_t, std::greater<std::int64_t>, std::allocator<std::int64_t>, tiny>)) {
    check_random_keys<TestType>(31);
}

TEST_CASE("batched lookups on maps and with heterogeneous keys", "[batched]") {
    bptree::map<std::string, int, std::less<>> m;
    for (int i = 0; i < 5000; i += 3) m.emplace(std::to_string(i), i);
    std::vector<std::string_view> probes;
    std::vector<std::string> storage;
    for (int i = -10; i < 5010; i += 7) storage.push_back(std::to_string(i));
    for (const auto& s : storage) probes.emplace_back(s);
    check_batched(m, probes);

    // The mutable overloads hand out mutable iterators: mark every value found.
    std::vector<bptree::map<std::string, int, std::less<>>::iterator> found;
    m.find_many(probes.begin(), probes.end(), std::back_inserter(found));
    std::size_t hits = 0;
    for (auto it : found) {
        if (it == m.end()) continue;
        it->second = -1;
        ++hits;
    }
    CHECK(hits > 0);
    for (const auto& [k, v] : m) CHECK((v == -1) == (std::stoi(k) % 7 == 4));  // i = -10 + 7j, 3 | i
}

TEST_CASE("batched lookups in multi containers find the first of an equal run", "[batched]") {
    bptree::multimap<int, int, std::less<int>, std::allocator<std::pair<const int, int>>, tiny> m;
    for (int i = 0; i < 3000; ++i) m.emplace(i % 50, i);
    std::vector<int> probes;
    for (int k = -2; k < 53; ++k) probes.push_back(k);
    check_batched(m, probes);
    std::vector<std::size_t> ranks;
    m.rank_many(probes.begin(), probes.end(), std::back_inserter(ranks));
    for (std::size_t j = 0; j < probes.size(); ++j) {
        const int k = probes[j];
        CHECK(ranks[j] == static_cast<std::size_t>(k < 0 ? 0 : k > 50 ? 3000 : 60 * k));
    }
}
