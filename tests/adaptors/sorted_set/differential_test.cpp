// Randomized differential test of bptree::sorted_set against the brute-force reference model,
// on every backend: each step applies one random typed call to both, compares every result, and
// checks the whole contents and the adaptor's invariants (verify()).
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "adaptors/sorted_set/zset_test_support.hpp"
#include "bptree/sorted_set.hpp"
#include "support/test_seed.hpp"

using namespace zset_test;

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

// Draws arguments. In lex mode every score is 0, so lex ranges are meaningful (Redis's rule).
class draws {
public:
    draws(std::uint64_t seed, bool lex_mode, int member_space) : rng_(seed), lex_mode_(lex_mode), space_(member_space) {}

    int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
    bool chance(int percent) { return uniform(0, 99) < percent; }
    std::mt19937_64& rng() { return rng_; }

    std::string member() {
        if (chance(3)) return chance(50) ? std::string() : std::string("\xff\x01", 2);
        return "m" + std::to_string(uniform(0, space_));
    }
    double score() {
        if (lex_mode_) return 0.0;
        const int roll = uniform(0, 99);
        if (roll < 60) return uniform(-15, 15);  // many ties
        if (roll < 70) return uniform(-15, 15) + 0.5;
        if (roll < 75) return chance(50) ? inf : -inf;
        if (roll < 78) return -0.0;
        return std::uniform_real_distribution<double>(-100, 100)(rng_);
    }
    bptree::score_bound score_bound() {
        const int roll = uniform(0, 99);
        const bool exclusive = chance(40);
        if (roll < 10) return {chance(50) ? inf : -inf, exclusive};
        return {static_cast<double>(uniform(-16, 16)) + (chance(20) ? 0.5 : 0.0), exclusive};
    }
    bptree::lex_bound<> lex_bound() {
        const int roll = uniform(0, 99);
        if (roll < 10) return bptree::lex_bound<>::minus_infinity();
        if (roll < 20) return bptree::lex_bound<>::plus_infinity();
        std::string m = member();
        if (chance(20)) m += "5";  // between members
        return chance(50) ? bptree::lex_bound<>::inclusive(m) : bptree::lex_bound<>::exclusive(m);
    }
    long long index(std::size_t n) {
        const int size = static_cast<int>(n);
        return uniform(-size - 3, size + 3);
    }
    bptree::range_limit limit(std::size_t n) {
        if (chance(40)) return {};
        return {uniform(-1, static_cast<int>(n) + 1), uniform(-2, static_cast<int>(n) + 1)};
    }
    bptree::range_direction direction() {
        return chance(50) ? bptree::range_direction::forward : bptree::range_direction::reverse;
    }
    bptree::zadd_options options() {
        bptree::zadd_options o;
        if (chance(70)) return o;
        o.nx = chance(25);
        o.xx = chance(25);
        o.gt = chance(25);
        o.lt = chance(25);
        o.ch = chance(50);
        return o;
    }

private:
    std::mt19937_64 rng_;
    bool lex_mode_;
    int space_;
};

bool options_valid(const bptree::zadd_options& o) {
    return !(o.nx && o.xx) && !((o.gt || o.lt) && o.nx) && !(o.gt && o.lt);
}

template <class ZSet>
void run_differential(std::uint64_t seed, bool lex_mode, int steps, int member_space) {
    INFO("seed " << seed << (lex_mode ? " (lex mode)" : ""));
    draws d(seed, lex_mode, member_space);
    ZSet s;
    reference_zset model;
    for (int step = 0; step < steps; ++step) {
        INFO("step " << step);
        int op = d.uniform(0, lex_mode ? 15 : 12);
        if (lex_mode && op == 12) op = 13;  // incr_by +-1 would break the equal scores
        switch (op) {
            case 0:
            case 1: {  // add, several pairs
                const auto o = d.options();
                std::vector<std::pair<double, std::string>> pairs;
                for (int i = d.uniform(1, 6); i > 0; --i) pairs.emplace_back(d.score(), d.member());
                if (!options_valid(o)) {
                    CHECK_THROWS_AS(s.add(pairs, o), bptree::error);
                    break;
                }
                std::size_t added = 0;
                std::size_t updated = 0;
                for (const auto& [score, m] : pairs) {
                    const auto outcome = model.add(m, score, o, false).first;
                    added += outcome == bptree::zadd_outcome::added;
                    updated += outcome == bptree::zadd_outcome::updated;
                }
                CHECK(s.add(pairs, o) == (o.ch ? added + updated : added));
                break;
            }
            case 2: {  // add_incr / incr_by
                const auto o = d.options();
                const std::string m = d.member();
                const double inc = d.score();
                if (!options_valid(o)) break;
                std::optional<std::pair<bptree::zadd_outcome, double>> expected;
                reference_zset before = model;
                try {
                    expected = model.add(m, inc, o, true);
                } catch (const std::domain_error&) {
                    model = before;
                    CHECK_THROWS_WITH(s.add_incr(m, inc, o), "ERR resulting score is not a number (NaN)");
                    break;
                }
                const auto got = s.add_incr(m, inc, o);
                if (expected->first == bptree::zadd_outcome::skipped) {
                    CHECK_FALSE(got.has_value());
                } else {
                    REQUIRE(got.has_value());
                    CHECK(*got == expected->second);
                }
                break;
            }
            case 3: {  // remove
                std::vector<std::string> ms;
                for (int i = d.uniform(1, 3); i > 0; --i) ms.push_back(d.member());
                std::size_t expected = 0;
                for (const auto& m : ms) expected += model.scores.erase(m);
                CHECK(s.remove(ms) == expected);
                break;
            }
            case 4: {  // score, rank, rev_rank
                const std::string m = d.member();
                const auto ordered = model.ordered();
                const auto it = std::find_if(ordered.begin(), ordered.end(), [&](const pair_entry& e) { return e.member == m; });
                if (it == ordered.end()) {
                    CHECK_FALSE(s.score(m).has_value());
                    CHECK_FALSE(s.rank(m).has_value());
                    CHECK_FALSE(s.rev_rank(m).has_value());
                } else {
                    const auto r = static_cast<std::size_t>(it - ordered.begin());
                    CHECK(s.score(m) == it->score);
                    CHECK(s.rank(m) == r);
                    CHECK(s.rev_rank(m) == ordered.size() - 1 - r);
                }
                break;
            }
            case 5: {  // count and range by score
                const bptree::score_range r{d.score_bound(), d.score_bound()};
                const auto in_range = [&](const pair_entry& e) { return reference_zset::in_score_range(e.score, r); };
                CHECK(s.count(r) == model.select(in_range, bptree::range_direction::forward, {}).size());
                const auto dir = d.direction();
                const auto limit = d.limit(model.scores.size());
                CHECK(entries(s.range_by_score(r, dir, limit)) == model.select(in_range, dir, limit));
                break;
            }
            case 6: {  // range by rank
                const long long a = d.index(model.scores.size());
                const long long b = d.index(model.scores.size());
                const auto dir = d.direction();
                CHECK(entries(s.range_by_rank(a, b, dir)) == model.by_rank(a, b, dir));
                break;
            }
            case 7: {  // remove by rank
                const long long a = d.index(model.scores.size());
                const long long b = d.index(model.scores.size());
                const auto doomed = model.by_rank(a, b, bptree::range_direction::forward);
                for (const auto& e : doomed) model.scores.erase(e.member);
                CHECK(s.remove_range_by_rank(a, b) == doomed.size());
                break;
            }
            case 8: {  // remove by score
                const bptree::score_range r{d.score_bound(), d.score_bound()};
                const std::size_t expected = model.erase_if([&](const pair_entry& e) { return reference_zset::in_score_range(e.score, r); });
                CHECK(s.remove_range_by_score(r) == expected);
                break;
            }
            case 9: {  // pop
                const auto count = static_cast<std::size_t>(d.uniform(0, 4));
                const bool highest = d.chance(50);
                auto ordered = model.ordered();
                if (highest) std::reverse(ordered.begin(), ordered.end());
                ordered.resize(std::min(count, ordered.size()));
                for (const auto& e : ordered) model.scores.erase(e.member);
                CHECK(entries(highest ? s.pop_max(count) : s.pop_min(count)) == ordered);
                break;
            }
            case 10: {  // random members belong to the set, with their scores
                const long long count = d.uniform(-5, 5);
                const auto sample = entries(s.random_members(count, d.rng()));
                const std::size_t n = model.scores.size();
                const std::size_t expected =
                    n == 0 ? 0 : count < 0 ? static_cast<std::size_t>(-count) : std::min<std::size_t>(static_cast<std::size_t>(count), n);
                CHECK(sample.size() == expected);
                for (const auto& e : sample) {
                    REQUIRE(model.scores.count(e.member) == 1);
                    CHECK(model.scores.at(e.member) == e.score);
                }
                break;
            }
            case 11: {  // a full scan in random page sizes
                std::vector<pair_entry> seen;
                std::uint64_t cursor = 0;
                do {
                    const auto page = s.scan(cursor, static_cast<std::size_t>(d.uniform(1, 9)));
                    for (const auto& e : page.entries) seen.push_back({e.member, e.score});
                    cursor = page.cursor;
                } while (cursor != 0);
                CHECK(seen == model.ordered());
                break;
            }
            case 12: {  // incr_by on an existing member mostly (reorders)
                const std::string m = d.member();
                const double inc = d.chance(50) ? 1.0 : -1.0;
                const auto before = model.scores.find(m);
                if (before != model.scores.end() && std::isinf(before->second)) break;
                const double expected = model.add(m, inc, {}, true).second;
                CHECK(s.incr_by(m, inc) == expected);
                break;
            }
            case 13: {  // lex count and range
                const bptree::lex_range<> r{d.lex_bound(), d.lex_bound()};
                const auto in_range = [&](const pair_entry& e) { return reference_zset::in_lex_range(e.member, r); };
                CHECK(s.count(r) == model.select(in_range, bptree::range_direction::forward, {}).size());
                const auto dir = d.direction();
                const auto limit = d.limit(model.scores.size());
                CHECK(entries(s.range_by_lex(r, dir, limit)) == model.select(in_range, dir, limit));
                break;
            }
            case 14:
            case 15: {  // remove by lex
                const bptree::lex_range<> r{d.lex_bound(), d.lex_bound()};
                const std::size_t expected = model.erase_if([&](const pair_entry& e) { return reference_zset::in_lex_range(e.member, r); });
                CHECK(s.remove_range_by_lex(r) == expected);
                break;
            }
            default: break;
        }
        REQUIRE(s.size() == model.scores.size());
        if (step % 7 == 0 || s.size() < 40) REQUIRE(entries(s) == model.ordered());
        if (step % 25 == 0) s.verify();
    }
    CHECK(entries(s) == model.ordered());
    s.verify();
}

}  // namespace

TEMPLATE_TEST_CASE("sorted_set agrees with the reference model on random operations", "[sorted_set][differential]",
                   ZSET_BACKENDS) {
    const std::uint64_t seed = bptree_test::test_seed(7001);
    const int steps = static_cast<int>(1500 * bptree_test::test_scale());
    SECTION("mixed scores, few members (many ties and re-adds)") { run_differential<TestType>(seed, false, steps, 40); }
    SECTION("mixed scores, more members (deeper trees)") { run_differential<TestType>(seed + 1, false, steps, 400); }
    SECTION("equal scores, lex ranges") { run_differential<TestType>(seed + 2, true, steps, 120); }
}
