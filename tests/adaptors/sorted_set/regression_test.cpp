// Regression tests for the bugs of the Rust original's B+ tree (wrong ranks in large trees, ranges
// that started at the first element of a leaf) and for the boundaries where such bugs hide: every
// start and end position of rank, score and lex ranges, in trees with tiny and default nodes,
// before and after deletions have left leaves unevenly filled.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "adaptors/sorted_set/zset_test_support.hpp"
#include "bptree/sorted_set.hpp"
#include "support/test_seed.hpp"

using namespace zset_test;

namespace {

// "m0000123": members whose byte order is their numeric order.
std::string name(int i) {
    std::string digits = std::to_string(i);
    return "m" + std::string(7 - digits.size(), '0') + digits;
}

// Checks every start position of rank ranges, and of score ranges when scores are distinct (and
// a few lengths from each), against the ordered contents.
template <class ZSet>
void check_every_start(const ZSet& s, bool distinct_scores = true) {
    const std::vector<pair_entry> all = entries(s);
    const long long n = static_cast<long long>(all.size());
    for (long long i = 0; i < n; ++i) {
        const auto& e = all[static_cast<std::size_t>(i)];
        REQUIRE(s.rank(e.member) == static_cast<std::size_t>(i));
        REQUIRE(s.rev_rank(e.member) == static_cast<std::size_t>(n - 1 - i));
        for (long long len : {1LL, 2LL, 5LL}) {
            const long long last = std::min(n - 1, i + len - 1);
            const std::vector<pair_entry> expected(all.begin() + i, all.begin() + last + 1);
            REQUIRE(entries(s.range_by_rank(i, i + len - 1)) == expected);
            std::vector<pair_entry> reversed(expected.rbegin(), expected.rend());
            REQUIRE(entries(s.range_by_rank(n - 1 - last, n - 1 - i, bptree::range_direction::reverse)) == reversed);
        }
        if (!distinct_scores) continue;
        // Scores are distinct here, so a score range [score_i, score_last] is exactly that run.
        const double lo = e.score;
        const double hi = all[static_cast<std::size_t>(std::min(n - 1, i + 3))].score;
        const std::vector<pair_entry> run(all.begin() + i, all.begin() + std::min(n, i + 4));
        REQUIRE(entries(s.range_by_score({{lo}, {hi}})) == run);
        REQUIRE(s.count(bptree::score_range{{lo}, {hi}}) == run.size());
        REQUIRE(entries(s.range_by_score({{lo, true}, {hi}})) == std::vector<pair_entry>(run.begin() + 1, run.end()));
        REQUIRE(entries(s.range_by_score({{-1e300}, {hi}}, bptree::range_direction::forward,
                                         {i, 1})) == std::vector<pair_entry>{e});
    }
}

}  // namespace

TEST_CASE("ranks are right in a sorted set of 200,000 members", "[sorted_set][regression]") {
    std::mt19937_64 rng(bptree_test::test_seed(200000));
    std::vector<int> order(200000);
    for (int i = 0; i < 200000; ++i) order[static_cast<std::size_t>(i)] = i;
    std::shuffle(order.begin(), order.end(), rng);
    bptree::sorted_set<> s;
    for (int i : order) s.add(name(i), i * 0.5);  // random insertion order, score order == name order
    REQUIRE(s.size() == 200000);
    for (int k = 0; k < 2000; ++k) {
        const int i = std::uniform_int_distribution<int>(0, 199999)(rng);
        INFO("member " << i);
        REQUIRE(s.rank(name(i)) == static_cast<std::size_t>(i));
        REQUIRE(s.rev_rank(name(i)) == static_cast<std::size_t>(199999 - i));
        const auto at = s.range_by_rank(i, i);
        REQUIRE(at.size() == 1);
        REQUIRE(at.begin()->member == name(i));
        REQUIRE(s.count(bptree::score_range{{0}, {i * 0.5}}) == static_cast<std::size_t>(i + 1));
        REQUIRE(s.range_by_score({{i * 0.5}, {1e9}}).size() == static_cast<std::size_t>(200000 - i));
    }
    // Deep offsets: the start of a LIMIT is found by rank, not by walking.
    const auto deep = s.range_by_score({{-1}, {1e9}}, bptree::range_direction::forward, {150000, 3});
    REQUIRE(members(entries(deep)) == std::vector<std::string>{name(150000), name(150001), name(150002)});
    const auto deep_rev = s.range_by_score({{-1}, {1e9}}, bptree::range_direction::reverse, {150000, 1});
    REQUIRE(deep_rev.begin()->member == name(49999));
    // Removing a range in the middle shifts every later rank by its length.
    REQUIRE(s.remove_range_by_rank(1000, 50999) == 50000);
    REQUIRE(s.rank(name(51000)) == 1000u);
    REQUIRE(s.rank(name(199999)) == 149999u);
    REQUIRE_FALSE(s.rank(name(1000)).has_value());
    s.verify();
}

TEMPLATE_TEST_CASE("every range start and end, including the first element of each leaf", "[sorted_set][regression]",
                   ZSET_BACKENDS) {
    TestType s;
    for (int i = 0; i < 400; ++i) s.add(name(i), i);
    check_every_start(s);
    // Deletions leave leaves of every fill; check again.
    std::mt19937_64 rng(bptree_test::test_seed(400));
    for (int k = 0; k < 150; ++k) s.remove(name(std::uniform_int_distribution<int>(0, 399)(rng)));
    s.remove_range_by_score({{100}, {140}});
    check_every_start(s);
    s.verify();
}

TEMPLATE_TEST_CASE("lex ranges from every member, in a tree of equal scores", "[sorted_set][regression][lex]",
                   ZSET_BACKENDS) {
    TestType s;
    for (int i = 0; i < 300; ++i) s.add(name(i * 2), 0);  // even names; odd names fall between
    const auto all = entries(s);
    for (int i = 0; i < 300; ++i) {
        const auto from = bptree::lex_bound<>::inclusive(name(i * 2));
        const auto between = bptree::lex_bound<>::inclusive(name(i * 2 - 1 < 0 ? 0 : i * 2 - 1));
        const std::vector<pair_entry> tail(all.begin() + i, all.end());
        REQUIRE(entries(s.range_by_lex({from, bptree::lex_bound<>::plus_infinity()})) == tail);
        REQUIRE(entries(s.range_by_lex({between, bptree::lex_bound<>::plus_infinity()})) == tail);
        REQUIRE(s.count(bptree::lex_range<>{bptree::lex_bound<>::exclusive(name(i * 2)), bptree::lex_bound<>::plus_infinity()}) ==
                static_cast<std::size_t>(299 - i));
        REQUIRE(entries(s.range_by_lex({bptree::lex_bound<>::minus_infinity(), from}, bptree::range_direction::reverse,
                                       {0, 1})) == std::vector<pair_entry>{all[static_cast<std::size_t>(i)]});
    }
}

TEMPLATE_TEST_CASE("erasing the first member of a leaf and searching for its score again", "[sorted_set][regression]",
                   ZSET_BACKENDS) {
    // In a B+ tree the separator above a leaf is a copy of an entry and outlives it; lookups,
    // counts and ranges at exactly that (score, member) must stay right (and must not read the
    // erased member, which the adaptor's design guarantees by never pointing into freed memory).
    TestType s;
    for (int i = 0; i < 200; ++i) s.add(name(i), i / 4);
    for (int i = 0; i < 200; i += 3) {
        REQUIRE(s.remove(name(i)));
        REQUIRE_FALSE(s.contains(name(i)));
        REQUIRE_FALSE(s.score(name(i)).has_value());
        s.add(name(i) + "x", i / 4);  // a new member of the same score right after it
        REQUIRE(s.contains(name(i) + "x"));
    }
    check_every_start(s, false);
    s.verify();
}

TEMPLATE_TEST_CASE("pops and range removals across many leaves", "[sorted_set][regression]", ZSET_BACKENDS) {
    TestType s;
    for (int i = 0; i < 1000; ++i) s.add(name(i), i);
    REQUIRE(entries(s.pop_min(37)).back().member == name(36));
    REQUIRE(entries(s.pop_max(41)).back().member == name(959));
    REQUIRE(s.remove_range_by_score({{100}, {299}}) == 200);
    REQUIRE(s.remove_range_by_rank(-100, -1) == 100);
    REQUIRE(s.size() == 1000 - 37 - 41 - 200 - 100);
    REQUIRE(s.range_by_rank(0, 0).begin()->member == name(37));
    REQUIRE(s.range_by_rank(-1, -1).begin()->member == name(858));
    REQUIRE(s.rank(name(300)) == 63u);
    s.verify();
}
