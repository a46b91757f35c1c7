// The commands over several sorted sets: zunion, zinter, zdiff, zintercard, the STORE forms and
// zrangestore, against brute-force expectations written from Redis's rules (WEIGHTS multiply,
// inf * 0 reads as 0; AGGREGATE SUM turns inf + -inf into 0; missing keys are empty sets).
#include <catch2/catch.hpp>

#include <limits>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "adaptors/sorted_set/zset_test_support.hpp"
#include "bptree/sorted_set.hpp"
#include "support/test_seed.hpp"

using namespace zset_test;
using bptree::score_aggregate;

namespace {
constexpr double inf = std::numeric_limits<double>::infinity();

template <class ZSet>
ZSet make(std::initializer_list<std::pair<double, std::string>> pairs) {
    ZSet s;
    s.add(pairs);
    return s;
}
}  // namespace

TEMPLATE_TEST_CASE("zunion adds weighted scores and aggregates", "[sorted_set][algebra]", ZSET_BACKENDS) {
    const auto a = make<TestType>({{1, "a"}, {2, "b"}, {inf, "i"}});
    const auto b = make<TestType>({{10, "b"}, {20, "c"}, {-inf, "i"}});
    using W = bptree::weighted_set<TestType>;
    CHECK(entries(bptree::zunion<TestType>({W{&a}, W{&b}})) ==
          std::vector<pair_entry>{{"i", 0}, {"a", 1}, {"b", 12}, {"c", 20}});
    CHECK(entries(bptree::zunion<TestType>({W{&a, 2}, W{&b, 0.5}}, score_aggregate::max)) ==
          std::vector<pair_entry>{{"a", 2}, {"b", 5}, {"c", 10}, {"i", inf}});
    CHECK(entries(bptree::zunion<TestType>({W{&a}, W{&b}}, score_aggregate::min)) ==
          std::vector<pair_entry>{{"i", -inf}, {"a", 1}, {"b", 2}, {"c", 20}});
    // inf * 0 is 0, not NaN; a missing key is an empty set.
    CHECK(entries(bptree::zunion<TestType>({W{&a, 0}, W{nullptr, 3}})) ==
          std::vector<pair_entry>{{"a", 0}, {"b", 0}, {"i", 0}});
    CHECK_THROWS_WITH(bptree::zunion<TestType>({W{&a, std::numeric_limits<double>::quiet_NaN()}}),
                      "ERR weight value is not a float");
}

TEMPLATE_TEST_CASE("zinter keeps members of every input", "[sorted_set][algebra]", ZSET_BACKENDS) {
    const auto a = make<TestType>({{1, "a"}, {2, "b"}, {3, "c"}});
    const auto b = make<TestType>({{10, "b"}, {20, "c"}, {30, "d"}});
    const auto c = make<TestType>({{100, "c"}, {100, "b"}});
    using W = bptree::weighted_set<TestType>;
    CHECK(entries(bptree::zinter<TestType>({W{&a}, W{&b}, W{&c}})) == std::vector<pair_entry>{{"b", 112}, {"c", 123}});
    CHECK(entries(bptree::zinter<TestType>({W{&a, -1}, W{&b}}, score_aggregate::min)) ==
          std::vector<pair_entry>{{"c", -3}, {"b", -2}});
    CHECK(bptree::zinter<TestType>({W{&a}, W{nullptr}}).empty());
    CHECK(entries(bptree::zinter<TestType>({W{&a}, W{&a}})) == std::vector<pair_entry>{{"a", 2}, {"b", 4}, {"c", 6}});
}

TEMPLATE_TEST_CASE("zdiff and zintercard", "[sorted_set][algebra]", ZSET_BACKENDS) {
    const auto a = make<TestType>({{1, "a"}, {2, "b"}, {3, "c"}, {4, "d"}});
    const auto b = make<TestType>({{0, "b"}});
    const auto c = make<TestType>({{0, "d"}, {0, "z"}});
    CHECK(entries(bptree::zdiff<TestType>({&a, &b, nullptr, &c})) == std::vector<pair_entry>{{"a", 1}, {"c", 3}});
    CHECK(bptree::zdiff<TestType>({nullptr, &a}).empty());
    CHECK(entries(bptree::zdiff<TestType>({&a})) == entries(a));
    CHECK(bptree::zintercard<TestType>({&a, &c}) == 1);
    CHECK(bptree::zintercard<TestType>({&a, &a}) == 4);
    CHECK(bptree::zintercard<TestType>({&a, &a}, 2) == 2);
    CHECK(bptree::zintercard<TestType>({&a, nullptr}) == 0);
}

TEMPLATE_TEST_CASE("STORE forms replace the destination and empty it for an empty result", "[sorted_set][algebra]",
                   ZSET_BACKENDS) {
    std::optional<TestType> dst = make<TestType>({{5, "old"}});
    const auto a = make<TestType>({{1, "a"}, {2, "b"}});
    using W = bptree::weighted_set<TestType>;
    CHECK(bptree::zunionstore(dst, {W{&a}, W{&*dst}}) == 3);
    CHECK(entries(*dst) == std::vector<pair_entry>{{"a", 1}, {"b", 2}, {"old", 5}});
    CHECK(bptree::zinterstore(dst, {W{&a}, W{&*dst, 2}}) == 2);  // the destination is an input
    CHECK(entries(*dst) == std::vector<pair_entry>{{"a", 3}, {"b", 6}});
    CHECK(bptree::zdiffstore(dst, {&a, &*dst}) == 0);
    CHECK_FALSE(dst.has_value());
    CHECK(bptree::zrangestore(dst, a.range_by_rank(0, 0, bptree::range_direction::reverse)) == 1);
    CHECK(entries(*dst) == std::vector<pair_entry>{{"b", 2}});
    CHECK(bptree::zrangestore(dst, dst->range_by_score({{10}, {20}})) == 0);
    CHECK_FALSE(dst.has_value());
}

TEMPLATE_TEST_CASE("zunion and zinter agree with brute force on random sets", "[sorted_set][algebra]", ZSET_BACKENDS) {
    std::mt19937_64 rng(bptree_test::test_seed(4242));
    const auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    for (int round = 0; round < 60; ++round) {
        const int k = uniform(1, 4);
        std::vector<std::map<std::string, double>> maps(static_cast<std::size_t>(k));
        std::vector<TestType> sets(static_cast<std::size_t>(k));
        std::vector<bptree::weighted_set<TestType>> inputs;
        for (int i = 0; i < k; ++i) {
            for (int j = uniform(0, 30); j > 0; --j) {
                const std::string m = "m" + std::to_string(uniform(0, 40));
                const double s = uniform(-5, 5);  // small integers: every sum is exact
                maps[static_cast<std::size_t>(i)][m] = s;
                sets[static_cast<std::size_t>(i)].add(m, s);
            }
        }
        std::vector<double> weights;
        for (int i = 0; i < k; ++i) {
            weights.push_back(uniform(-2, 2));
            inputs.push_back({&sets[static_cast<std::size_t>(i)], weights.back()});
        }
        const auto agg = static_cast<score_aggregate>(uniform(0, 2));
        const auto combine = [&](double a, double b) {
            return agg == score_aggregate::sum ? a + b : agg == score_aggregate::min ? std::min(a, b) : std::max(a, b);
        };
        std::map<std::string, double> uni;
        std::map<std::string, int> seen;
        for (int i = 0; i < k; ++i) {
            for (const auto& [m, s] : maps[static_cast<std::size_t>(i)]) {
                const double v = s * weights[static_cast<std::size_t>(i)];
                uni[m] = seen[m]++ == 0 ? v : combine(uni[m], v);
            }
        }
        std::vector<pair_entry> expected_union;
        std::vector<pair_entry> expected_inter;
        for (const auto& [m, s] : uni) {
            expected_union.push_back({m, s == 0 ? 0.0 : s});
            if (seen[m] == k) expected_inter.push_back({m, s == 0 ? 0.0 : s});
        }
        std::sort(expected_union.begin(), expected_union.end(), entry_less);
        std::sort(expected_inter.begin(), expected_inter.end(), entry_less);
        CHECK(entries(bptree::zunion(inputs, agg)) == expected_union);
        CHECK(entries(bptree::zinter(inputs, agg)) == expected_inter);
        std::vector<const TestType*> plain;
        for (const auto& s : sets) plain.push_back(&s);
        CHECK(bptree::zintercard(plain) == expected_inter.size());
    }
}
