// bptree::sorted_set typed API: every member, every option, on every backend. Expected values
// follow Redis 7.0's documented behaviour (checked against redis-server by the conformance tool).
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "adaptors/sorted_set/zset_test_support.hpp"
#include "bptree/sorted_set.hpp"
#include "support/test_seed.hpp"

using namespace zset_test;
using bptree::range_direction;
using bptree::zadd_outcome;

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();
const double nan_value = std::numeric_limits<double>::quiet_NaN();

template <class ZSet>
ZSet abc() {
    ZSet s;
    s.add({{1.0, "a"}, {2.0, "b"}, {3.0, "c"}});
    return s;
}

bptree::lex_bound<> incl(const char* m) { return bptree::lex_bound<>::inclusive(m); }
bptree::lex_bound<> excl(const char* m) { return bptree::lex_bound<>::exclusive(m); }
const bptree::lex_bound<> minus = bptree::lex_bound<>::minus_infinity();
const bptree::lex_bound<> plus = bptree::lex_bound<>::plus_infinity();

}  // namespace

TEMPLATE_TEST_CASE("add inserts new members and reports what each pair did", "[sorted_set][add]", ZSET_BACKENDS) {
    TestType s;
    CHECK(s.empty());
    const auto r = s.add("a", 1.5);
    CHECK(r.outcome == zadd_outcome::added);
    CHECK(r.score == 1.5);
    CHECK(s.size() == 1);
    CHECK(s.add("a", 1.5).outcome == zadd_outcome::unchanged);
    CHECK(s.add("a", 2.0).outcome == zadd_outcome::updated);
    CHECK(s.score("a") == 2.0);
    // The pairs form counts added members, plus updated ones with CH; pairs apply in order.
    CHECK(s.add({{1.0, "b"}, {5.0, "a"}, {7.0, "c"}}) == 2);
    CHECK(s.add({{2.0, "b"}, {5.0, "a"}, {9.0, "d"}}, {false, false, false, false, true}) == 2);
    CHECK(s.add({{1.0, "x"}, {2.0, "x"}}) == 1);
    CHECK(s.score("x") == 2.0);
    CHECK(members(entries(s)) == std::vector<std::string>{"b", "x", "a", "c", "d"});
    s.verify();
}

TEMPLATE_TEST_CASE("add honours NX, XX, GT and LT", "[sorted_set][add]", ZSET_BACKENDS) {
    auto s = abc<TestType>();
    bptree::zadd_options nx;
    nx.nx = true;
    CHECK(s.add("a", 10, nx).outcome == zadd_outcome::skipped);
    CHECK(s.add("n", 10, nx).outcome == zadd_outcome::added);
    bptree::zadd_options xx;
    xx.xx = true;
    CHECK(s.add("new", 1, xx).outcome == zadd_outcome::skipped);
    CHECK_FALSE(s.contains("new"));
    CHECK(s.add("b", 20, xx).outcome == zadd_outcome::updated);
    bptree::zadd_options gt;
    gt.gt = true;
    CHECK(s.add("c", 2, gt).outcome == zadd_outcome::skipped);
    CHECK(s.add("c", 3, gt).outcome == zadd_outcome::skipped);  // equal is not greater
    CHECK(s.add("c", 4, gt).outcome == zadd_outcome::updated);
    CHECK(s.add("g", 1, gt).outcome == zadd_outcome::added);  // GT never blocks new members
    bptree::zadd_options lt;
    lt.lt = true;
    lt.xx = true;  // XX combines with GT or LT
    CHECK(s.add("a", 5, lt).outcome == zadd_outcome::skipped);
    CHECK(s.add("a", 0.5, lt).outcome == zadd_outcome::updated);
    CHECK(s.add("zz", 0.5, lt).outcome == zadd_outcome::skipped);
    CHECK(s.score("a") == 0.5);
    CHECK(s.score("c") == 4);
    s.verify();
}

TEMPLATE_TEST_CASE("incompatible ZADD options throw Redis's texts and change nothing", "[sorted_set][add][errors]",
                   ZSET_BACKENDS) {
    auto s = abc<TestType>();
    const TestType before = s;
    const auto add_with = [&](bool nx, bool xx, bool gt, bool lt) -> std::string {
        try {
            s.add({{9.0, "a"}, {9.0, "q"}}, bptree::zadd_options{nx, xx, gt, lt, false});
        } catch (const bptree::error& e) {
            return e.what();
        }
        return "no error";
    };
    CHECK(add_with(true, true, false, false) == "ERR XX and NX options at the same time are not compatible");
    CHECK(add_with(true, false, true, false) == "ERR GT, LT, and/or NX options at the same time are not compatible");
    CHECK(add_with(true, false, false, true) == "ERR GT, LT, and/or NX options at the same time are not compatible");
    CHECK(add_with(false, false, true, true) == "ERR GT, LT, and/or NX options at the same time are not compatible");
    CHECK(add_with(true, true, true, true) == "ERR XX and NX options at the same time are not compatible");
    CHECK(s == before);
}

TEMPLATE_TEST_CASE("a NaN score is never stored", "[sorted_set][add][nan]", ZSET_BACKENDS) {
    auto s = abc<TestType>();
    const TestType before = s;
    const std::string nan_text = "ERR resulting score is not a number (NaN)";
    CHECK_THROWS_WITH(s.add("a", nan_value), nan_text);
    CHECK_THROWS_WITH(s.add("new", nan_value), nan_text);
    // Every pair is checked before the first one applies.
    CHECK_THROWS_WITH(s.add({{5.0, "d"}, {nan_value, "e"}}), nan_text);
    CHECK_FALSE(s.contains("d"));
    s.add("i", inf);
    CHECK_THROWS_WITH(s.incr_by("i", -inf), nan_text);
    CHECK_THROWS_WITH(s.add_incr("i", -inf), nan_text);
    CHECK(s.score("i") == inf);
    s.remove("i");
    CHECK(s == before);
    s.verify();
}

// Redis's zslParseRange refuses a NaN bound; the typed members throw its reply and change nothing
// (a NaN bound used to order like -inf, so count({NaN, +inf}) counted every member).
TEMPLATE_TEST_CASE("a NaN score bound is refused with Redis's error", "[sorted_set][count][range][nan]",
                   ZSET_BACKENDS) {
    auto s = abc<TestType>();
    const TestType before = s;
    using bptree::score_range;
    const std::string bound_text = "ERR min or max is not a float";
    const std::vector<score_range> ranges = {score_range{{nan_value}, {inf}},
                                             score_range{{-inf}, {nan_value}},
                                             score_range{{nan_value, true}, {2.0}},
                                             score_range{{1.0}, {-nan_value, true}},
                                             score_range{{nan_value}, {nan_value}}};
    for (const score_range& r : ranges) {
        CHECK_THROWS_AS(s.count(r), bptree::error);
        CHECK_THROWS_WITH(s.count(r), bound_text);
        CHECK_THROWS_WITH(s.range_by_score(r), bound_text);
        CHECK_THROWS_WITH(s.range_by_score(r, range_direction::reverse, {1, 1}), bound_text);
        CHECK_THROWS_WITH(s.remove_range_by_score(r), bound_text);
    }
    CHECK(s == before);
    s.verify();
}

TEMPLATE_TEST_CASE("incr_by and add_incr add to the score, creating members at the increment", "[sorted_set][incr]",
                   ZSET_BACKENDS) {
    auto s = abc<TestType>();
    CHECK(s.incr_by("a", 2.5) == 3.5);
    CHECK(s.incr_by("new", -4) == -4);
    CHECK(members(entries(s)) == std::vector<std::string>{"new", "b", "c", "a"});
    CHECK(s.add_incr("b", 1) == 3.0);
    bptree::zadd_options nx;
    nx.nx = true;
    CHECK_FALSE(s.add_incr("b", 1, nx).has_value());
    bptree::zadd_options gt;
    gt.gt = true;
    CHECK_FALSE(s.add_incr("b", -1, gt).has_value());
    CHECK(s.add_incr("b", 1, gt) == 4.0);
    bptree::zadd_options xx;
    xx.xx = true;
    CHECK_FALSE(s.add_incr("absent", 1, xx).has_value());
    CHECK(s.incr_by("c", inf) == inf);
    CHECK(s.incr_by("c", 1) == inf);
    s.verify();
}

TEMPLATE_TEST_CASE("a -0 score is stored as 0 but reported as computed", "[sorted_set][zero]", ZSET_BACKENDS) {
    TestType s;
    const auto r = s.add_incr("z", -0.0);
    REQUIRE(r.has_value());
    CHECK(std::signbit(*r));  // the computed value, as Redis's INCR reply shows it
    CHECK_FALSE(std::signbit(*s.score("z")));
    s.add("w", -0.0);
    CHECK_FALSE(std::signbit(*s.score("w")));
    s.add("v", 1);
    s.add("v", -0.0);
    CHECK_FALSE(std::signbit(*s.score("v")));
    CHECK(members(entries(s)) == std::vector<std::string>{"v", "w", "z"});
    s.verify();
}

TEMPLATE_TEST_CASE("remove, score, scores, contains, rank and rev_rank", "[sorted_set][lookup]", ZSET_BACKENDS) {
    auto s = abc<TestType>();
    CHECK(s.score("b") == 2.0);
    CHECK_FALSE(s.score("zz").has_value());
    CHECK(s.scores(std::vector<std::string>{"a", "zz", "c"}) ==
          std::vector<std::optional<double>>{1.0, std::nullopt, 3.0});
    CHECK(s.rank("a") == 0u);
    CHECK(s.rank("c") == 2u);
    CHECK(s.rev_rank("a") == 2u);
    CHECK(s.rev_rank("c") == 0u);
    CHECK_FALSE(s.rank("zz").has_value());
    CHECK_FALSE(s.rev_rank("zz").has_value());
    CHECK(s.remove("b"));
    CHECK_FALSE(s.remove("b"));
    CHECK(s.remove({"a", "nope", "c", "a"}) == 2);
    CHECK(s.empty());
    s.verify();
}

TEMPLATE_TEST_CASE("members compare as unsigned bytes within a score", "[sorted_set][order]", ZSET_BACKENDS) {
    TestType s;
    s.add({{0.0, "b"}, {0.0, "\xff"}, {0.0, "a"}, {0.0, ""}, {0.0, std::string("a\0", 2)}, {0.0, "B"}, {-1.0, "z"}});
    CHECK(members(entries(s)) == std::vector<std::string>{"z", "", "B", "a", std::string("a\0", 2), "b", "\xff"});
    s.verify();
}

TEMPLATE_TEST_CASE("count by score handles exclusive bounds and infinities", "[sorted_set][count]", ZSET_BACKENDS) {
    TestType s;
    s.add({{-inf, "lo"}, {1.0, "a"}, {2.0, "b"}, {2.0, "b2"}, {3.0, "c"}, {inf, "hi"}});
    using bptree::score_range;
    CHECK(s.count(score_range{}) == 6);
    CHECK(s.count(score_range{{2.0}, {2.0}}) == 2);
    CHECK(s.count(score_range{{2.0, true}, {2.0}}) == 0);
    CHECK(s.count(score_range{{1.0, true}, {3.0, true}}) == 2);
    CHECK(s.count(score_range{{3.0}, {1.0}}) == 0);
    CHECK(s.count(score_range{{-inf, true}, {inf, true}}) == 4);
    CHECK(s.count(score_range{{inf}, {inf}}) == 1);
    CHECK(s.count(score_range{{-inf}, {-inf}}) == 1);
    CHECK(s.count(score_range{{100}, {200}}) == 0);
}

TEMPLATE_TEST_CASE("count by lex follows Redis's bound rules", "[sorted_set][count][lex]", ZSET_BACKENDS) {
    TestType s;
    s.add({{0.0, "a"}, {0.0, "b"}, {0.0, "c"}, {0.0, "d"}, {0.0, "e"}});
    using R = bptree::lex_range<>;
    CHECK(s.count(R{minus, plus}) == 5);
    CHECK(s.count(R{incl("b"), incl("d")}) == 3);
    CHECK(s.count(R{excl("b"), excl("d")}) == 1);
    CHECK(s.count(R{incl("b"), excl("b")}) == 0);
    CHECK(s.count(R{incl("b"), incl("b")}) == 1);
    CHECK(s.count(R{incl("bb"), plus}) == 3);
    CHECK(s.count(R{plus, minus}) == 0);
    CHECK(s.count(R{minus, minus}) == 0);
    CHECK(s.count(R{plus, plus}) == 0);
    CHECK(s.count(R{incl("d"), incl("b")}) == 0);
    CHECK(s.count(R{incl(""), incl("")}) == 0);
    CHECK(s.count(R{incl(""), plus}) == 5);
}

TEMPLATE_TEST_CASE("range_by_rank reads positions the way ZRANGE and ZREVRANGE do", "[sorted_set][range]", ZSET_BACKENDS) {
    TestType s;
    for (int i = 0; i < 10; ++i) s.add("m" + std::to_string(i), i);
    const auto ms = [&](long long a, long long b, range_direction d = range_direction::forward) {
        return members(entries(s.range_by_rank(a, b, d)));
    };
    CHECK(ms(0, 2) == std::vector<std::string>{"m0", "m1", "m2"});
    CHECK(ms(-2, -1) == std::vector<std::string>{"m8", "m9"});
    CHECK(ms(8, 100) == std::vector<std::string>{"m8", "m9"});
    CHECK(ms(-100, 0) == std::vector<std::string>{"m0"});
    CHECK(ms(5, 4).empty());
    CHECK(ms(10, 20).empty());
    CHECK(ms(0, -11).empty());
    CHECK(ms(0, 1, range_direction::reverse) == std::vector<std::string>{"m9", "m8"});
    CHECK(ms(-1, -1, range_direction::reverse) == std::vector<std::string>{"m0"});
    CHECK(ms(std::numeric_limits<long long>::min(), std::numeric_limits<long long>::max()).size() == 10);
    CHECK(s.range_by_rank(2, 4).size() == 3);
    CHECK(s.range_by_rank(2, 4).direction() == range_direction::forward);
}

TEMPLATE_TEST_CASE("range_by_score with direction and LIMIT", "[sorted_set][range]", ZSET_BACKENDS) {
    TestType s;
    for (int i = 0; i < 10; ++i) s.add("m" + std::to_string(i), i / 2);  // scores 0 0 1 1 2 2 3 3 4 4
    using bptree::range_limit;
    using bptree::score_range;
    const auto ms = [&](score_range r, range_direction d = range_direction::forward, range_limit l = {}) {
        return members(entries(s.range_by_score(r, d, l)));
    };
    CHECK(ms({{1}, {2}}) == std::vector<std::string>{"m2", "m3", "m4", "m5"});
    CHECK(ms({{1, true}, {3}}) == std::vector<std::string>{"m4", "m5", "m6", "m7"});
    CHECK(ms({{1}, {2}}, range_direction::reverse) == std::vector<std::string>{"m5", "m4", "m3", "m2"});
    CHECK(ms({{1}, {4}}, range_direction::forward, {1, 2}) == std::vector<std::string>{"m3", "m4"});
    CHECK(ms({{1}, {4}}, range_direction::reverse, {1, 2}) == std::vector<std::string>{"m8", "m7"});
    CHECK(ms({{1}, {4}}, range_direction::forward, {7, -1}) == std::vector<std::string>{"m9"});
    CHECK(ms({{1}, {4}}, range_direction::forward, {8, 5}).empty());
    CHECK(ms({{1}, {4}}, range_direction::forward, {-1, 5}).empty());  // a negative offset: nothing
    CHECK(ms({{1}, {4}}, range_direction::forward, {0, 0}).empty());
    CHECK(ms({{1}, {4}}, range_direction::reverse, {0, -3}).size() == 8);  // a negative count: no limit
    CHECK(ms({{5}, {1}}).empty());
    CHECK(ms({{2}, {2, true}}).empty());
    CHECK(ms({{-inf}, {inf}}, range_direction::reverse, {9, 1}) == std::vector<std::string>{"m0"});
}

TEMPLATE_TEST_CASE("range_by_lex with direction and LIMIT", "[sorted_set][range][lex]", ZSET_BACKENDS) {
    TestType s;
    for (const char* m : {"a", "b", "c", "d", "e", "f"}) s.add(m, 0);
    using R = bptree::lex_range<>;
    const auto ms = [&](R r, range_direction d = range_direction::forward, bptree::range_limit l = {}) {
        return members(entries(s.range_by_lex(r, d, l)));
    };
    CHECK(ms({incl("b"), excl("e")}) == std::vector<std::string>{"b", "c", "d"});
    CHECK(ms({incl("b"), excl("e")}, range_direction::reverse) == std::vector<std::string>{"d", "c", "b"});
    CHECK(ms({minus, plus}, range_direction::forward, {2, 2}) == std::vector<std::string>{"c", "d"});
    CHECK(ms({minus, plus}, range_direction::reverse, {2, 2}) == std::vector<std::string>{"d", "c"});
    CHECK(ms({excl("a"), incl("a")}).empty());
    CHECK(ms({plus, plus}).empty());
    CHECK(ms({incl("e"), plus}, range_direction::forward, {5, 1}).empty());
}

TEMPLATE_TEST_CASE("remove_range_by_rank, by_score and by_lex return the count and keep the rest",
                   "[sorted_set][remove_range]", ZSET_BACKENDS) {
    TestType s;
    for (int i = 0; i < 20; ++i) s.add("m" + std::to_string(100 + i), i);
    CHECK(s.remove_range_by_rank(0, 1) == 2);
    CHECK(s.remove_range_by_rank(-2, -1) == 2);
    CHECK(s.remove_range_by_rank(5, 4) == 0);
    CHECK(s.remove_range_by_rank(100, 200) == 0);
    CHECK(s.size() == 16);
    CHECK(s.remove_range_by_score({{5}, {7, true}}) == 2);
    CHECK(s.remove_range_by_score({{7}, {6}}) == 0);
    CHECK(s.size() == 14);
    CHECK_FALSE(s.contains("m105"));
    CHECK(s.contains("m107"));
    TestType lex;
    for (const char* m : {"a", "b", "c", "d"}) lex.add(m, 0);
    CHECK(lex.remove_range_by_lex({incl("b"), incl("c")}) == 2);
    CHECK(members(entries(lex)) == std::vector<std::string>{"a", "d"});
    CHECK(lex.remove_range_by_lex({minus, plus}) == 2);
    CHECK(lex.empty());
    s.verify();
    lex.verify();
}

TEMPLATE_TEST_CASE("pop_min and pop_max take from the ends in order", "[sorted_set][pop]", ZSET_BACKENDS) {
    auto s = abc<TestType>();
    s.add("d", 4);
    CHECK(entries(s.pop_min()) == std::vector<pair_entry>{{"a", 1}});
    CHECK(entries(s.pop_max(2)) == std::vector<pair_entry>{{"d", 4}, {"c", 3}});
    CHECK(entries(s.pop_min(10)) == std::vector<pair_entry>{{"b", 2}});
    CHECK(s.pop_min().empty());
    CHECK(s.pop_max(0).empty());
    s.verify();
}

TEMPLATE_TEST_CASE("random_member and random_members follow ZRANDMEMBER's rules", "[sorted_set][random]", ZSET_BACKENDS) {
    std::mt19937_64 rng(bptree_test::test_seed(20240601));
    TestType s;
    CHECK_FALSE(s.random_member(rng).has_value());
    CHECK(s.random_members(5, rng).empty());
    for (int i = 0; i < 50; ++i) s.add("m" + std::to_string(i), i);
    for (int round = 0; round < 20; ++round) {
        const auto one = s.random_member(rng);
        REQUIRE(one.has_value());
        CHECK(s.score(one->member) == one->score);
        // Positive counts: distinct members, min(count, size) of them.
        const auto some = entries(s.random_members(7, rng));
        CHECK(some.size() == 7);
        std::set<std::string> distinct;
        for (const auto& e : some) {
            distinct.insert(e.member);
            CHECK(s.score(e.member) == e.score);
        }
        CHECK(distinct.size() == 7);
        // Negative counts: exactly -count draws, repeats allowed.
        CHECK(s.random_members(-120, rng).size() == 120);
    }
    CHECK(entries(s.random_members(50, rng)) == entries(s));
    CHECK(entries(s.random_members(500, rng)) == entries(s));
    CHECK(s.random_members(0, rng).empty());
}

TEST_CASE("random_members draws every member about equally often", "[sorted_set][random]") {
    std::mt19937_64 rng(bptree_test::test_seed(20240601));
    zset_test::bptree_backend s;
    for (int i = 0; i < 10; ++i) s.add("m" + std::to_string(i), i);
    std::map<std::string, int> seen;
    for (int round = 0; round < 2000; ++round) {
        for (const auto& e : s.random_members(3, rng)) ++seen[e.member];
    }
    REQUIRE(seen.size() == 10);
    for (const auto& [m, n] : seen) {
        INFO(m);
        CHECK(n > 450);  // expected 600 each; 450 is far beyond 5 standard deviations (~22)
        CHECK(n < 750);
    }
}

TEMPLATE_TEST_CASE("scan pages by position and a full scan returns each member once", "[sorted_set][scan]",
                   ZSET_BACKENDS) {
    TestType s;
    for (int i = 0; i < 95; ++i) s.add("m" + std::to_string(i), i % 7);
    std::vector<pair_entry> seen;
    std::uint64_t cursor = 0;
    int pages = 0;
    do {
        const auto page = s.scan(cursor, 10);
        CHECK(page.entries.size() <= 10);
        for (const auto& e : page.entries) seen.push_back({e.member, e.score});
        cursor = page.cursor;
        ++pages;
    } while (cursor != 0);
    CHECK(pages == 10);
    CHECK(seen == entries(s));
    CHECK(s.scan(95).entries.empty());
    CHECK(s.scan(std::numeric_limits<std::uint64_t>::max()).cursor == 0);
    const auto last = s.scan(90, 10);
    CHECK(last.entries.size() == 5);
    CHECK(last.cursor == 0);
}

TEMPLATE_TEST_CASE("the sorted bulk constructor builds the same set as adds", "[sorted_set][bulk]", ZSET_BACKENDS) {
    std::vector<bptree::sorted_set_entry<std::string>> sorted;
    for (int i = 0; i < 300; ++i) sorted.push_back({"m" + std::to_string(1000 + i), i / 3.0});
    TestType bulk(bptree::sorted_unique, sorted.begin(), sorted.end());
    TestType added;
    for (const auto& e : sorted) added.add(e.member, e.score);
    CHECK(bulk == added);
    CHECK(bulk.rank("m1150") == 150u);
    bulk.verify();
}

TEMPLATE_TEST_CASE("copies are independent and compare equal", "[sorted_set][copy]", ZSET_BACKENDS) {
    auto s = abc<TestType>();
    TestType copy = s;
    CHECK(copy == s);
    copy.incr_by("a", 1);
    CHECK(copy != s);
    CHECK(s.score("a") == 1.0);
    TestType moved = std::move(copy);
    CHECK(moved.score("a") == 2.0);
    moved.clear();
    CHECK(moved.empty());
    CHECK_FALSE(moved.contains("a"));
    moved.verify();
}

TEST_CASE("typed members map onto Redis's reply values on a worked example", "[sorted_set]") {
    // The example of redis.io/commands/zrange.
    bptree::sorted_set<> s;
    s.add({{1.0, "one"}, {2.0, "two"}, {3.0, "three"}});
    CHECK(members(entries(s.range_by_rank(0, -1))) == std::vector<std::string>{"one", "two", "three"});
    CHECK(members(entries(s.range_by_rank(2, 3))) == std::vector<std::string>{"three"});
    CHECK(members(entries(s.range_by_rank(-2, -1))) == std::vector<std::string>{"two", "three"});
    CHECK(members(entries(s.range_by_score({{1, true}, {inf}}, range_direction::forward, {1, 1}))) ==
          std::vector<std::string>{"three"});
}
