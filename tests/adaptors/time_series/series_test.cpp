// bptree::time_series typed API: option validation and its error texts, the duplicate-policy
// resolver with its NaN rules, retention, INCRBY/DECRBY, rule bookkeeping across moves and
// destruction, and "a throwing member leaves the series unchanged".
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bptree/time_series.hpp"

using bptree::duplicate_policy;
using bptree::ts_sample;

namespace {

template <class Series>
std::vector<ts_sample> everything(const Series& s) {
    return s.range(0, std::numeric_limits<std::int64_t>::max());
}

}  // namespace

TEST_CASE("options are validated with RedisTimeSeries's texts", "[time_series][options]") {
    bptree::time_series_options o;
    o.chunk_size_bytes = 40;
    REQUIRE_THROWS_WITH(bptree::time_series<>(o),
                        "ERR TSDB: CHUNK_SIZE value must be a multiple of 8 in the range [48 .. 1048576]");
    o.chunk_size_bytes = 1048576 + 8;
    REQUIRE_THROWS_AS(bptree::time_series<>(o), bptree::error);
    o.chunk_size_bytes = 100;  // not a multiple of 8
    REQUIRE_THROWS_AS(bptree::time_series<>(o), bptree::error);
    o.chunk_size_bytes = 48;
    REQUIRE_NOTHROW(bptree::time_series<>(o));
    o.retention_ms = -1;
    REQUIRE_THROWS_WITH(bptree::time_series<>(o), "TSDB: Couldn't parse RETENTION");
    o.retention_ms = 0;
    o.labels = {{"a", "x(y"}};
    REQUIRE_THROWS_WITH(bptree::time_series<>(o), "ERR TSDB: Couldn't parse LABELS");
    o.labels = {{"", "v"}};
    REQUIRE_THROWS_AS(bptree::time_series<>(o), bptree::error);
}

TEST_CASE("the duplicate-policy resolver, NaN rules included", "[time_series][policy]") {
    using bptree::detail::ts::resolve_duplicate;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    REQUIRE_FALSE(resolve_duplicate(duplicate_policy::block, 1, 2).has_value());
    REQUIRE(*resolve_duplicate(duplicate_policy::first, 1, 2) == 1);
    REQUIRE(*resolve_duplicate(duplicate_policy::last, 1, 2) == 2);
    REQUIRE(*resolve_duplicate(duplicate_policy::min, 1, 2) == 1);
    REQUIRE(*resolve_duplicate(duplicate_policy::min, 3, 2) == 2);
    REQUIRE(*resolve_duplicate(duplicate_policy::max, 1, 2) == 2);
    REQUIRE(*resolve_duplicate(duplicate_policy::max, 3, 2) == 3);
    REQUIRE(*resolve_duplicate(duplicate_policy::sum, 1, 2) == 3);
    // A NaN on either side: MIN and MAX keep the new value (no comparison holds), SUM is NaN.
    REQUIRE(*resolve_duplicate(duplicate_policy::min, nan, 2) == 2);
    REQUIRE(std::isnan(*resolve_duplicate(duplicate_policy::min, 2, nan)));
    REQUIRE(*resolve_duplicate(duplicate_policy::max, nan, 2) == 2);
    REQUIRE(std::isnan(*resolve_duplicate(duplicate_policy::max, 2, nan)));
    REQUIRE(std::isnan(*resolve_duplicate(duplicate_policy::sum, nan, 2)));
    REQUIRE(*resolve_duplicate(duplicate_policy::first, nan, 2) != 2);  // keeps the NaN
}

TEMPLATE_TEST_CASE("a NaN reached through INCRBY meets every policy", "[time_series][policy]", bptree::std_map_index,
                   bptree::bptree_map_index) {
    const auto policy = GENERATE(duplicate_policy::first, duplicate_policy::last, duplicate_policy::min,
                                 duplicate_policy::max, duplicate_policy::sum);
    bptree::time_series<TestType> s;
    s.incrby(10, std::numeric_limits<double>::infinity());
    s.decrby(10, std::numeric_limits<double>::infinity());  // inf - inf
    REQUIRE(std::isnan(s.get()->value));
    s.add(10, 5, policy);
    const double kept = s.get()->value;
    switch (policy) {
        case duplicate_policy::first:
        case duplicate_policy::sum: REQUIRE(std::isnan(kept)); break;
        default: REQUIRE(kept == 5);
    }
    REQUIRE_THROWS_WITH(s.add(10, 5, duplicate_policy::block),
                        "ERR TSDB: Error at upsert, update is not supported when DUPLICATE_POLICY is set to BLOCK mode");
}

TEMPLATE_TEST_CASE("typed writes refuse what TS.ADD refuses and change nothing", "[time_series][errors]",
                   bptree::std_map_index, bptree::bptree_map_index) {
    bptree::time_series_options o;
    o.retention_ms = 100;
    bptree::time_series<TestType> s(o);
    for (std::int64_t t = 0; t <= 1000; t += 10) s.add(t, 1);
    const auto before = everything(s);
    REQUIRE_THROWS_WITH(s.add(-1, 1), "ERR TSDB: invalid timestamp, must be a nonnegative integer");
    REQUIRE_THROWS_WITH(s.add(5, std::numeric_limits<double>::quiet_NaN()), "ERR TSDB: invalid value");
    REQUIRE_THROWS_WITH(s.add(899, 1), "ERR TSDB: Timestamp is older than retention");
    REQUIRE_NOTHROW(s.add(900, 2, duplicate_policy::last));  // exactly at the cutoff is kept
    REQUIRE_THROWS_WITH(s.add(900, 2), "ERR TSDB: Error at upsert, update is not supported when DUPLICATE_POLICY is set to BLOCK mode");
    REQUIRE_THROWS_WITH(s.incrby(999, 1), "TSDB: timestamp must be equal to or higher than the maximum existing timestamp");
    auto after = everything(s);
    REQUIRE(after.size() == before.size());
    REQUIRE(after.front() == ts_sample{900, 2});
    s.verify();
}

TEMPLATE_TEST_CASE("retention drops old samples as the series grows", "[time_series][retention]",
                   bptree::std_map_index, bptree::bptree_map_index) {
    const auto encoding = GENERATE(bptree::ts_encoding::compressed, bptree::ts_encoding::uncompressed);
    bptree::time_series_options o;
    o.encoding = encoding;
    o.chunk_size_bytes = 64;
    o.retention_ms = 50;
    bptree::time_series<TestType> s(o);
    for (std::int64_t t = 0; t < 1000; ++t) s.add(t, static_cast<double>(t));
    s.verify();
    REQUIRE(s.size() == 51);  // 949..999
    REQUIRE(s.first_timestamp() == 949);
    REQUIRE(s.range(0, 2000).front().ts == 949);
    REQUIRE(s.chunk_count() < 20);  // whole expired chunks are freed
    // Deleting the newest samples moves the cutoff back, but dropped samples stay dropped.
    REQUIRE(s.del(990, 999) == 10);
    REQUIRE(s.range(0, 2000).front().ts == 949);
    s.add(945, -1);  // allowed again: 945 >= 989 - 50
    REQUIRE(s.range(0, 948) == std::vector<ts_sample>{{945, -1}});
    s.set_retention(0);
    REQUIRE(s.size() == 42);
    s.verify();
}

TEMPLATE_TEST_CASE("INCRBY and DECRBY build on the newest value", "[time_series][incrby]", bptree::std_map_index,
                   bptree::bptree_map_index) {
    bptree::time_series<TestType> s;
    REQUIRE(s.incrby(100, 5) == 100);
    REQUIRE(s.incrby(100, 2) == 100);  // same timestamp: the newest sample grows
    REQUIRE(s.decrby(200, 10) == 200);
    REQUIRE(everything(s) == std::vector<ts_sample>{{100, 7}, {200, -3}});
}

TEMPLATE_TEST_CASE("rule links survive moves and end with either series", "[time_series][rules]",
                   bptree::std_map_index, bptree::bptree_map_index) {
    using series = bptree::time_series<TestType>;
    series source;
    auto dest = std::make_unique<series>();
    source.create_rule(*dest, bptree::aggregator::count, 10, 0, "d", "s");
    REQUIRE_THROWS_WITH(source.create_rule(source, bptree::aggregator::count, 10),
                        "ERR TSDB: the source key and destination key should be different");
    series other;
    REQUIRE_THROWS_WITH(dest->create_rule(other, bptree::aggregator::count, 10),
                        "ERR TSDB: the source key already has a source rule");
    REQUIRE_THROWS_WITH(other.create_rule(*dest, bptree::aggregator::count, 10),
                        "ERR TSDB: the destination key already has a src rule");
    REQUIRE_THROWS_WITH(other.create_rule(source, bptree::aggregator::count, 10),
                        "ERR TSDB: the destination key already has a dst rule");
    REQUIRE_THROWS_WITH(other.create_rule(other, bptree::aggregator::count, 0),
                        "ERR TSDB: bucketDuration must be greater than zero");

    series moved_source = std::move(source);
    series moved_dest = std::move(*dest);
    for (std::int64_t t = 0; t < 25; ++t) moved_source.add(t, 1);
    REQUIRE(moved_dest.range(0, 100) == std::vector<ts_sample>{{0, 10}, {10, 10}});
    moved_source.verify();
    moved_dest.verify();
    REQUIRE(moved_dest.info().source_name == std::optional<std::string>("s"));
    REQUIRE(moved_source.info().rules.size() == 1);

    dest.reset();  // the moved-from shell goes: nothing changes
    moved_source.verify();
    {
        series temporary;
        moved_source.delete_rule(moved_dest);
        moved_source.create_rule(temporary, bptree::aggregator::sum, 5);
    }  // the destination dies: the source forgets the rule
    REQUIRE_FALSE(moved_source.has_rules());
    moved_source.add(100, 1);
    moved_source.verify();

    series copy = moved_dest;  // copies carry samples, not links
    REQUIRE_FALSE(copy.has_source());
    REQUIRE(everything(copy) == everything(moved_dest));
}
