// bptree::time_series: a RedisTimeSeries series (TS.ADD, TS.RANGE with aggregation, retention,
// duplicate policies, compaction rules) as a C++ container adaptor.
#include <bptree/time_series.hpp>

#include <cstdint>
#include <cstdio>

#include "check.hpp"

int main() {
    bptree::time_series_options options;
    options.retention_ms = 60000;                     // keep one minute
    options.policy = bptree::duplicate_policy::last;  // a repeated timestamp overwrites
    options.labels = {{"sensor", "t1"}, {"room", "lab"}};
    bptree::time_series<> temperature(options);  // chunk index: std::map (default)

    // One sample a second for two minutes (TS.ADD); older samples fall out of the retention window.
    for (std::int64_t s = 0; s < 120; ++s) temperature.add(s * 1000, 20.0 + static_cast<double>(s % 10) / 10);
    temperature.add(119000, 25.5);        // DUPLICATE_POLICY LAST
    const auto last = temperature.get();  // TS.GET
    EXAMPLE_CHECK(last && last->ts == 119000 && last->value == 25.5);

    // TS.RANGE - + AGGREGATION max 10000: one sample per 10-second bucket.
    bptree::ts_range_options by_10s;
    by_10s.aggregation = bptree::ts_aggregation{bptree::aggregator::max, 10000};
    const auto buckets = temperature.range(0, 200000, by_10s);
    for (const auto& b : buckets) std::printf("[%lld] %.1f ", static_cast<long long>(b.ts), b.value);
    std::printf("\n");
    EXAMPLE_CHECK(buckets.size() == 7 && buckets.front().ts == 59000 - 59000 % 10000);  // 50000 .. 110000

    // TS.RANGE with FILTER_BY_VALUE and COUNT.
    bptree::ts_range_options warm;
    warm.filter_by_value = {20.85, 100.0};
    warm.count = 3;
    const auto hot = temperature.range(0, 200000, warm);
    EXAMPLE_CHECK(hot.size() == 3 && hot[0].value > 20.85);

    // TS.INFO
    const bptree::time_series_info info = temperature.info();
    std::printf("%zu samples in %zu chunks, %zu bytes, first %lld, last %lld\n", info.total_samples, info.chunk_count,
                info.memory_bytes, static_cast<long long>(info.first_ts), static_cast<long long>(info.last_ts));
    EXAMPLE_CHECK(info.first_ts >= 59000 && info.last_ts == 119000);

    // Errors carry RedisTimeSeries's text and leave the series unchanged.
    try {
        temperature.add(-5, 1.0);
        EXAMPLE_CHECK(false);
    } catch (const bptree::error& e) {
        std::printf("error: %s\n", e.what());
    }
    std::printf("time_series: ok\n");
    return 0;
}
