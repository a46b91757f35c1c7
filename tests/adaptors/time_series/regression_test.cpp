// The failures of the Rust original's time series (Sockudo-KV), kept as regression tests on both
// index backends and both chunk kinds:
//  - more samples in one time window than one chunk holds were lost;
//  - an out-of-order sample into an older chunk erased samples;
//  - TS.RANGE over "- +" with AGGREGATION did not return (or returned wrong buckets);
//  - compaction rules were stored but never applied.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <tuple>
#include <utility>
#include <vector>

#include "bptree/time_series.hpp"
#include "support/test_seed.hpp"

namespace {

bptree::time_series_options small_chunks(bptree::ts_encoding encoding) {
    bptree::time_series_options o;
    o.encoding = encoding;
    o.chunk_size_bytes = 128;
    return o;
}

}  // namespace

TEMPLATE_TEST_CASE("40,000 samples within two hours all come back", "[time_series][regression]",
                   bptree::std_map_index, bptree::bptree_map_index) {
    const auto encoding = GENERATE(bptree::ts_encoding::compressed, bptree::ts_encoding::uncompressed);
    bptree::time_series<TestType> s(small_chunks(encoding));
    const std::int64_t base = 1'700'000'000'000;  // 2 hours = 7,200,000 ms: one sample every 180 ms
    for (std::int64_t i = 0; i < 40'000; ++i) s.add(base + i * 180, static_cast<double>(i % 97));
    s.verify();
    REQUIRE(s.size() == 40'000);
    REQUIRE(s.chunk_count() > 100);  // many chunks inside the window
    const auto all = s.range(base, base + 2 * 3600 * 1000);
    REQUIRE(all.size() == 40'000);
    for (std::size_t i = 0; i < all.size(); ++i) {
        REQUIRE(all[i].ts == base + static_cast<std::int64_t>(i) * 180);
        REQUIRE(all[i].value == static_cast<double>(i % 97));
    }
    bptree::ts_range_options count;
    count.aggregation = bptree::ts_aggregation{bptree::aggregator::count, 2 * 3600 * 1000};
    const auto buckets = s.range(0, std::numeric_limits<std::int64_t>::max(), count);
    double total = 0;
    for (const auto& b : buckets) total += b.value;
    REQUIRE(total == 40'000);
}

TEMPLATE_TEST_CASE("an out-of-order sample into an older chunk erases nothing", "[time_series][regression]",
                   bptree::std_map_index, bptree::bptree_map_index) {
    const auto encoding = GENERATE(bptree::ts_encoding::compressed, bptree::ts_encoding::uncompressed);
    bptree::time_series<TestType> s(small_chunks(encoding));
    std::vector<bptree::ts_sample> expected;
    for (std::int64_t t = 0; t < 3000; t += 10) {
        s.add(t, static_cast<double>(t));
        expected.push_back({t, static_cast<double>(t)});
    }
    REQUIRE(s.chunk_count() > 3);
    std::mt19937_64 rng(bptree_test::test_seed(77));
    for (int i = 0; i < 600; ++i) {  // odd timestamps land inside older, full chunks
        const std::int64_t t = static_cast<std::int64_t>(rng() % 2989) | 1;  // odd, below the newest (2990)
        if (std::any_of(expected.begin(), expected.end(), [&](const bptree::ts_sample& x) { return x.ts == t; })) continue;
        s.add(t, -1.0);
        expected.insert(std::lower_bound(expected.begin(), expected.end(), t,
                                         [](const bptree::ts_sample& x, std::int64_t v) { return x.ts < v; }),
                        bptree::ts_sample{t, -1.0});
        s.verify();
    }
    REQUIRE(s.range(0, 3000) == expected);
    REQUIRE(s.get()->ts == 2990);  // the newest sample is still the last in-order one
}

TEMPLATE_TEST_CASE("TS.RANGE - + with AGGREGATION returns the right buckets", "[time_series][regression]",
                   bptree::std_map_index, bptree::bptree_map_index) {
    const auto encoding = GENERATE(bptree::ts_encoding::compressed, bptree::ts_encoding::uncompressed);
    bptree::time_series<TestType> s(small_chunks(encoding));
    for (std::int64_t t = 1000; t < 5000; t += 100) s.add(t, static_cast<double>(t / 100));
    bptree::ts_range_options o;
    o.aggregation = bptree::ts_aggregation{bptree::aggregator::sum, 1000};
    // "- +" is [0, newest timestamp].
    const auto buckets = s.range(0, s.last_timestamp(), o);
    REQUIRE(buckets.size() == 4);
    for (std::size_t i = 0; i < 4; ++i) {
        const double first = 10.0 + 10.0 * static_cast<double>(i);
        REQUIRE(buckets[i].ts == 1000 + 1000 * static_cast<std::int64_t>(i));
        REQUIRE(buckets[i].value == 10 * first + 45);  // first + (first+1) + ... + (first+9)
    }
    const auto reversed = s.revrange(0, s.last_timestamp(), o);
    REQUIRE(std::vector<bptree::ts_sample>(reversed.rbegin(), reversed.rend()) == buckets);
}

TEMPLATE_TEST_CASE("compaction rules are applied as samples arrive, change and go", "[time_series][regression][rules]",
                   bptree::std_map_index, bptree::bptree_map_index) {
    const auto encoding = GENERATE(bptree::ts_encoding::compressed, bptree::ts_encoding::uncompressed);
    bptree::time_series<TestType> source(small_chunks(encoding));
    bptree::time_series<TestType> sums(small_chunks(encoding));
    bptree::time_series<TestType> maxima(small_chunks(encoding));
    source.create_rule(sums, bptree::aggregator::sum, 10, 0, "sums", "source");
    source.create_rule(maxima, bptree::aggregator::max, 10, 0, "maxima", "source");

    for (std::int64_t t = 0; t < 35; ++t) source.add(t, 1.0);
    // Buckets 0, 10, 20 are closed; 30 is open (it holds the newest sample).
    REQUIRE(sums.range(0, 100) == std::vector<bptree::ts_sample>{{0, 10}, {10, 10}, {20, 10}});
    REQUIRE(maxima.range(0, 100) == std::vector<bptree::ts_sample>{{0, 1}, {10, 1}, {20, 1}});

    source.add(40, 1.0);  // closes bucket 30 (5 samples)
    REQUIRE(sums.get() == std::optional<bptree::ts_sample>({30, 5}));

    source.add(15, 7.0, bptree::duplicate_policy::sum);  // upsert into a closed bucket
    REQUIRE(sums.range(10, 10) == std::vector<bptree::ts_sample>{{10, 17}});  // 9 ones and 1 + 7
    REQUIRE(maxima.range(10, 10) == std::vector<bptree::ts_sample>{{10, 8}});

    REQUIRE(source.del(20, 29) == 10);  // a whole closed bucket goes
    REQUIRE(sums.range(0, 100) == std::vector<bptree::ts_sample>{{0, 10}, {10, 17}, {30, 5}});
    REQUIRE(source.del(5, 12) == 8);  // edges of two buckets
    REQUIRE(sums.range(0, 100) == std::vector<bptree::ts_sample>{{0, 5}, {10, 14}, {30, 5}});

    REQUIRE(source.del(40, 40) == 1);  // bucket 30 is open again: its compaction is withdrawn
    REQUIRE(sums.range(0, 100) == std::vector<bptree::ts_sample>{{0, 5}, {10, 14}});

    source.delete_rule(sums);
    source.add(50, 1.0);
    REQUIRE(sums.range(0, 100).size() == 2);   // no longer fed
    REQUIRE(maxima.range(0, 100).size() == 3);  // still fed: bucket 30 closed again
    REQUIRE_THROWS_WITH(source.delete_rule(sums), "ERR TSDB: compaction rule does not exist");
    source.verify();
    sums.verify();
    maxima.verify();
}

TEMPLATE_TEST_CASE("a rule's compaction equals the aggregated range of its closed bucket", "[time_series][regression][rules]",
                   bptree::std_map_index, bptree::bptree_map_index) {
    const auto type = GENERATE(bptree::aggregator::twa, bptree::aggregator::avg, bptree::aggregator::std_s,
                               bptree::aggregator::last);
    bptree::time_series<TestType> source, dest;
    source.create_rule(dest, type, 10);
    const std::int64_t ts[] = {12, 15, 19, 22, 23, 31, 47};
    for (const std::int64_t t : ts) source.add(t, static_cast<double>(t % 7));
    bptree::ts_range_options o;
    o.aggregation = bptree::ts_aggregation{type, 10};
    const auto buckets = source.range(0, source.last_timestamp(), o);
    const auto compacted = dest.range(0, 100);
    REQUIRE(compacted.size() == 3);  // [10,20) [20,30) [30,40) closed; [40,50) open
    for (std::size_t i = 0; i < compacted.size(); ++i) {
        REQUIRE(compacted[i].ts == buckets[i].ts);
        REQUIRE(compacted[i].value == buckets[i].value);  // twa: both see the sample after the bucket
    }
}

namespace {

constexpr std::int64_t int64_max = std::numeric_limits<std::int64_t>::max();

// The destination a sum rule must hold, recomputed from the source's samples: one sample per
// closed bucket that holds source samples (the bucket of the newest sample is open), at
// max(0, bucket start), valued by the sum. Bucket starts are computed in 128-bit arithmetic,
// independently of the library's overflow-free int64 arithmetic.
std::vector<bptree::ts_sample> recomputed_sums(const std::vector<bptree::ts_sample>& source, std::int64_t duration,
                                               std::int64_t align) {
    __extension__ typedef __int128 wide;
    const auto start_of = [&](std::int64_t ts) {
        const wide shifted = wide{ts} - align;
        wide bucket = shifted / duration;
        if (shifted % duration < 0) --bucket;  // floor division
        return bucket * duration + align;
    };
    std::vector<bptree::ts_sample> out;
    if (source.empty()) return out;
    const wide open = start_of(source.back().ts);
    std::optional<wide> current;
    for (const bptree::ts_sample& s : source) {
        const wide b = start_of(s.ts);
        if (b == open) break;
        if (current && *current == b) {
            out.back().value += s.value;
        } else {
            out.push_back({static_cast<std::int64_t>(b < 0 ? 0 : b), s.value});
            current = b;
        }
    }
    return out;
}

}  // namespace

// recompact_after_delete compared bucket starts as last - first >= 2 * d, which overflows int64
// (undefined behaviour) for bucket durations above INT64_MAX / 2, or when the first bucket starts
// before 0 (ALIGN) and the last one near INT64_MAX. Random adds and deletes over timestamps at both
// ends of the range, with ordinary and huge buckets; the destination must always equal the
// recomputation from the source (the UBSan lane checks that no step overflows).
TEMPLATE_TEST_CASE("compactions stay exact under deletes with huge buckets near INT64_MAX",
                   "[time_series][regression][rules][overflow]", bptree::std_map_index, bptree::bptree_map_index) {
    constexpr std::int64_t max = int64_max;
    const auto encoding = GENERATE(bptree::ts_encoding::compressed, bptree::ts_encoding::uncompressed);
    const auto rule = GENERATE(table<std::int64_t, std::int64_t>({{10, 3},
                                                                  {std::int64_t{1} << 62, 1},
                                                                  {int64_max, 0},
                                                                  {int64_max, 5},
                                                                  {int64_max - 1, 3},
                                                                  {int64_max / 2 + 2, int64_max / 2}}));
    const std::int64_t duration = std::get<0>(rule);
    const std::int64_t align = std::get<1>(rule);
    INFO("bucket duration " << duration << ", align " << align);
    auto options = small_chunks(encoding);
    options.policy = bptree::duplicate_policy::sum;
    bptree::time_series<TestType> source(options);
    bptree::time_series<TestType> dest(small_chunks(encoding));
    source.create_rule(dest, bptree::aggregator::sum, duration, align, "dest", "source");

    const std::int64_t big = std::int64_t{1} << 62;
    const std::vector<std::int64_t> stamps = {0,       1,       2,       3,       4,       9,       10,      11,
                                              12,      13,      19,      20,      21,      23,      big - 1, big,
                                              big + 1, big + 2, max / 2, max - 20, max - 9, max - 2, max - 1, max};
    std::mt19937_64 rng(bptree_test::test_seed(62));
    const auto pick = [&] { return stamps[rng() % stamps.size()]; };
    for (int step = 0; step < 400; ++step) {
        if (rng() % 3 != 0) {
            source.add(pick(), static_cast<double>(1 + rng() % 9));
        } else {
            std::int64_t from = pick();
            std::int64_t to = pick();
            if (from > to) std::swap(from, to);
            source.del(from, to);
        }
        INFO("step " << step);
        REQUIRE(dest.range(0, max) == recomputed_sums(source.range(0, max), duration, align));
    }
    // A delete whose edge buckets are the first and the last, with whole buckets between.
    for (const std::int64_t t : stamps) source.add(t, 1.0);
    source.del(1, max - 1);
    REQUIRE(dest.range(0, max) == recomputed_sums(source.range(0, max), duration, align));
    source.verify();
    dest.verify();
}
