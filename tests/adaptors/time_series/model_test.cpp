// bptree::time_series against a brute-force model (ts_model.hpp) on long random sequences:
// in-order and out-of-order adds, every duplicate policy, INCRBY, deletes, retention changes, and
// random queries with every aggregator, filters, COUNT, ALIGN, BUCKETTIMESTAMP, EMPTY, forward and
// reverse. Runs on both chunk index backends (TEMPLATE_TEST_CASE) and both chunk kinds (GENERATE),
// with small chunks so that splits and multi-chunk buckets happen often.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <iterator>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "adaptors/time_series/ts_model.hpp"
#include "bptree/time_series.hpp"
#include "support/test_seed.hpp"

namespace {

using bptree_test::ts_model;

constexpr bptree::aggregator all_aggregators[] = {
    bptree::aggregator::avg,   bptree::aggregator::sum,   bptree::aggregator::min,   bptree::aggregator::max,
    bptree::aggregator::range, bptree::aggregator::count, bptree::aggregator::first, bptree::aggregator::last,
    bptree::aggregator::std_p, bptree::aggregator::std_s, bptree::aggregator::var_p, bptree::aggregator::var_s,
    bptree::aggregator::twa};

// Exact for values that are picked or counted; relative 1e-9 for sums, means, variances and twa
// (the chunked fold adds whole-chunk sums, the model adds sample by sample).
bool same_value(bptree::aggregator a, double got, double want) {
    if (std::isnan(want)) return std::isnan(got);
    switch (a) {
        case bptree::aggregator::min:
        case bptree::aggregator::max:
        case bptree::aggregator::count:
        case bptree::aggregator::first:
        case bptree::aggregator::last:
        case bptree::aggregator::range: return got == want;
        default: return std::fabs(got - want) <= 1e-9 * std::max(1.0, std::fabs(want));
    }
}

std::string describe(const ts_model::query& q) {
    std::string s = "range [" + std::to_string(q.from) + ", " + std::to_string(q.to) + "]" + (q.reverse ? " rev" : "");
    if (q.count) s += " count " + std::to_string(*q.count);
    if (q.filter_value) s += " fbv " + std::to_string(q.filter_value->first) + ".." + std::to_string(q.filter_value->second);
    if (q.filter_ts) s += " fbts x" + std::to_string(q.filter_ts->size());
    if (q.agg) {
        s += " agg " + std::to_string(static_cast<int>(q.agg->type)) + " d=" + std::to_string(q.agg->bucket_duration) +
             " align=" + std::to_string(q.agg->align) + " bt=" + std::to_string(static_cast<int>(q.agg->reported)) +
             (q.agg->empty ? " EMPTY" : "");
    }
    return s;
}

template <class Series>
void check_query(const Series& series, const ts_model& model, const ts_model::query& q) {
    bptree::ts_range_options o;
    o.filter_by_ts = q.filter_ts;
    o.filter_by_value = q.filter_value;
    o.count = q.count;
    o.aggregation = q.agg;
    const auto got = q.reverse ? series.revrange(q.from, q.to, o) : series.range(q.from, q.to, o);
    const auto want = model.run(q);
    INFO(describe(q));
    REQUIRE(got.size() == want.size());
    const bptree::aggregator a = q.agg ? q.agg->type : bptree::aggregator::last;
    for (std::size_t i = 0; i < got.size(); ++i) {
        INFO("bucket " << i << " ts " << want[i].ts << " got " << got[i].value << " want " << want[i].value);
        REQUIRE(got[i].ts == want[i].ts);
        REQUIRE(same_value(a, got[i].value, want[i].value));
    }
}

ts_model::query random_query(std::mt19937_64& rng, std::int64_t horizon) {
    ts_model::query q;
    std::uniform_int_distribution<std::int64_t> t(0, horizon);
    q.from = t(rng);
    q.to = t(rng);
    if (q.from > q.to) std::swap(q.from, q.to);
    if (rng() % 4 == 0) q.from = 0;
    if (rng() % 4 == 0) q.to = horizon;
    q.reverse = rng() % 2 == 0;
    if (rng() % 3 == 0) q.count = static_cast<std::size_t>(rng() % 12);
    if (rng() % 4 == 0) {
        const double lo = static_cast<double>(static_cast<int>(rng() % 200) - 100);
        q.filter_value = std::make_pair(lo, lo + static_cast<double>(rng() % 120));
    }
    if (rng() % 6 == 0) {
        std::vector<std::int64_t> ts;
        for (int i = 0; i < 40; ++i) ts.push_back(t(rng));
        q.filter_ts = ts;
    }
    if (rng() % 4 != 0) {
        bptree::ts_aggregation g;
        g.type = all_aggregators[rng() % std::size(all_aggregators)];
        const std::int64_t durations[] = {1, 3, 10, 37, 100, 1000, 5000};
        g.bucket_duration = durations[rng() % std::size(durations)];
        g.align = rng() % 3 == 0 ? static_cast<std::int64_t>(rng() % 5000) : 0;
        g.reported = static_cast<bptree::bucket_timestamp>(rng() % 3);
        g.empty = rng() % 2 == 0;
        if (g.empty && g.bucket_duration < 37) g.bucket_duration = 37;  // keep EMPTY output small
        q.agg = g;
    }
    return q;
}

template <class Series>
void check_contents(const Series& series, const ts_model& model) {
    series.verify();
    REQUIRE(series.size() == model.samples().size());
    const auto all = series.range(0, std::numeric_limits<std::int64_t>::max());
    REQUIRE(all == model.samples());
    if (model.samples().empty()) {
        REQUIRE_FALSE(series.get().has_value());
    } else {
        REQUIRE(series.get() == std::optional<bptree::ts_sample>(model.samples().back()));
        REQUIRE(series.first_timestamp() == model.samples().front().ts);
    }
}

template <class Series>
void run_random_sequence(bptree::ts_encoding encoding, std::size_t chunk_bytes, std::uint64_t seed, bool with_retention) {
    INFO("seed " << seed << " chunk bytes " << chunk_bytes << " compressed "
                 << (encoding == bptree::ts_encoding::compressed));
    std::mt19937_64 rng(seed);
    bptree::time_series_options options;
    options.encoding = encoding;
    options.chunk_size_bytes = chunk_bytes;
    options.policy = bptree::duplicate_policy::last;
    options.retention_ms = with_retention ? 4000 : 0;
    Series series(options);
    ts_model model(options.retention_ms, options.policy);

    const std::size_t steps = 2500 * bptree_test::test_scale();
    std::int64_t clock = 0;
    for (std::size_t step = 0; step < steps; ++step) {
        const unsigned op = static_cast<unsigned>(rng() % 100);
        // Mostly small integer values (exact sums), sometimes fractions; regular and jittered steps.
        const double value = rng() % 5 == 0 ? static_cast<double>(rng() % 2001) / 8.0 - 125.0
                                            : static_cast<double>(static_cast<int>(rng() % 200) - 100);
        if (op < 55) {  // in order (with a repeated timestamp now and then)
            clock += rng() % 8 == 0 ? 0 : static_cast<std::int64_t>(1 + rng() % 20);
            const bool ok_model = model.add(clock, value, std::nullopt);
            bool ok = true;
            try {
                series.add(clock, value);
            } catch (const bptree::error&) {
                ok = false;
            }
            REQUIRE(ok == ok_model);
        } else if (op < 80) {  // out of order, every policy
            const std::int64_t ts = clock > 0 ? static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(clock + 1)) : 0;
            const std::optional<bptree::duplicate_policy> policy =
                rng() % 3 == 0 ? std::nullopt : std::optional<bptree::duplicate_policy>(
                                                    static_cast<bptree::duplicate_policy>(rng() % 6));
            const bool ok_model = model.add(ts, value, policy);
            bool ok = true;
            try {
                series.add(ts, value, policy);
            } catch (const bptree::error&) {
                ok = false;
            }
            REQUIRE(ok == ok_model);
        } else if (op < 85) {
            clock += static_cast<std::int64_t>(rng() % 3);
            const bool ok_model = model.incrby(clock, value);
            bool ok = true;
            try {
                series.incrby(clock, value);
            } catch (const bptree::error&) {
                ok = false;
            }
            REQUIRE(ok == ok_model);
        } else if (op < 92) {
            const std::int64_t from = clock > 0 ? static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(clock + 1)) : 0;
            const std::int64_t to = from + static_cast<std::int64_t>(rng() % 300);
            REQUIRE(series.del(from, to) == model.del(from, to));
        } else if (op < 94 && with_retention) {
            const std::int64_t r = static_cast<std::int64_t>(2000 + rng() % 6000);
            series.set_retention(r);
            model.set_retention(r);
        } else {
            check_query(series, model, random_query(rng, clock + 50));
        }
        if (step % 250 == 0) check_contents(series, model);
    }
    check_contents(series, model);
    for (int i = 0; i < 150; ++i) check_query(series, model, random_query(rng, clock + 50));
    for (const bptree::aggregator a : all_aggregators) {  // "- +" over everything, every aggregator
        ts_model::query q;
        q.to = clock;
        q.agg = bptree::ts_aggregation{a, 100, 0, bptree::bucket_timestamp::start, true};
        check_query(series, model, q);
    }
}

}  // namespace

TEMPLATE_TEST_CASE("time_series agrees with a brute-force model on random sequences", "[time_series][model]",
                   bptree::std_map_index, bptree::bptree_map_index) {
    const auto encoding = GENERATE(bptree::ts_encoding::compressed, bptree::ts_encoding::uncompressed);
    const std::size_t chunk_bytes = GENERATE(std::size_t{48}, std::size_t{256});
    const bool retention = GENERATE(false, true);
    const std::uint64_t seed = bptree_test::test_seed(20240607) + chunk_bytes + (retention ? 7 : 0);
    run_random_sequence<bptree::time_series<TestType>>(encoding, chunk_bytes, seed, retention);
}
