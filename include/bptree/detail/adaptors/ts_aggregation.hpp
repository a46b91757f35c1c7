// File: bptree/detail/adaptors/ts_aggregation.hpp
// Layer: adaptor internals (time series). The arithmetic of RedisTimeSeries's aggregators, kept
// apart from any storage: bucket boundaries (ALIGN), reported bucket timestamps (BUCKETTIMESTAMP),
// the value of a bucket from its fold (avg, sum, min, max, range, count, first, last, std.p, std.s,
// var.p, var.s), the time-weighted average (twa) and the values of empty buckets (EMPTY).
// Includes: ts_chunk.hpp and standard headers.
//
// Every formula follows RedisTimeSeries's src/compaction.c (1.8-1.12) so replies agree with it:
//  - variance(sum, sum2, n) = (sum2 - 2*sum*sum/n + (sum/n)^2 * n) / n; var.s = var.p * n/(n-1)
//    (0 for one sample); std.* = sqrt(var.*).
//  - avg = sum / n, except that a sum that would overflow switches to the running mean computed in
//    long double (AvgAddValue), so avg of huge values stays finite.
//  - min/max skip NaN (a NaN never compares); range = max - min.
//  - empty buckets: sum and count are 0, every other aggregator NaN; twa interpolates.
#ifndef BPTREE_DETAIL_ADAPTORS_TS_AGGREGATION_HPP
#define BPTREE_DETAIL_ADAPTORS_TS_AGGREGATION_HPP

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <optional>
#include <vector>

#include "bptree/detail/adaptors/ts_chunk.hpp"
#include "bptree/detail/config.hpp"

namespace bptree {
inline namespace BPTREE_ABI_NAMESPACE {

// The aggregation types of TS.RANGE / TS.CREATERULE.
enum class aggregator { avg, sum, min, max, range, count, first, last, std_p, std_s, var_p, var_s, twa };

// Which timestamp a bucket is reported at (BUCKETTIMESTAMP - | + | ~).
enum class bucket_timestamp { start, end, mid };

}  // namespace BPTREE_ABI_NAMESPACE
}  // namespace bptree

namespace bptree {
inline namespace BPTREE_ABI_NAMESPACE {
namespace detail::ts {

inline constexpr double nan_value = std::numeric_limits<double>::quiet_NaN();

// The start of the bucket holding ts: buckets start at multiples of duration shifted by align
// (RedisTimeSeries's CalcBucketStart). May be negative when align > ts; see normalized_start().
inline std::int64_t bucket_start(std::int64_t ts, std::int64_t duration, std::int64_t align) noexcept {
    const std::int64_t diff = ts - align;
    std::int64_t rem = diff % duration;
    if (rem < 0) rem += duration;  // the floor remainder; -duration < rem < 0 here, so no overflow
    return ts - rem;
}
// a + b for b >= 0, saturated at the largest timestamp: the end of a bucket that reaches past
// INT64_MAX (a bucket start can be as large as INT64_MAX, a duration too).
inline std::int64_t add_saturated(std::int64_t a, std::int64_t b) noexcept {
    constexpr std::int64_t max = std::numeric_limits<std::int64_t>::max();
    return a > max - b ? max : a + b;
}
// How many durations separate the bucket starts lo <= hi of one bucket lattice, counted unsigned:
// hi - lo exceeds INT64_MAX when lo is negative (a start before ALIGN) and hi near INT64_MAX.
inline std::uint64_t bucket_steps(std::int64_t lo, std::int64_t hi, std::int64_t duration) noexcept {
    return (static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo)) / static_cast<std::uint64_t>(duration);
}
// RedisTimeSeries reports (and keys compactions by) max(0, start) (BucketStartNormalize).
inline std::int64_t normalized_start(std::int64_t start) noexcept { return start < 0 ? 0 : start; }

inline std::int64_t reported_timestamp(bucket_timestamp bt, std::int64_t start, std::int64_t duration) noexcept {
    const std::int64_t s = normalized_start(start);
    switch (bt) {
        case bucket_timestamp::start: return s;
        case bucket_timestamp::mid: return add_saturated(s, duration / 2);
        case bucket_timestamp::end: return add_saturated(s, duration);
    }
    return s;
}

// The value of an empty bucket reported under EMPTY (not twa, which interpolates).
inline double empty_bucket_value(aggregator a) noexcept {
    return (a == aggregator::sum || a == aggregator::count) ? 0.0 : nan_value;
}

inline double variance(double sum, double sum_squares, double n) noexcept {
    if (n == 0) return 0;
    return (sum_squares - 2 * sum * sum / n + std::pow(sum / n, 2) * n) / n;
}

// RedisTimeSeries's average with overflow protection, fed one value at a time (AvgAddValue).
class running_average {
public:
    void add(double value) noexcept {
        ++count_;
        const bool same_sign = (value_ < 0.0) == (value < 0.0);
        if (overflowed_ || (same_sign && std::fabs(value_) > DBL_MAX - std::fabs(value))) {
            // mean(t+1) = mean(t) * t/(t+1) + value/(t+1), in long double when it has more bits.
            long double mean = value_;
            if (overflowed_) {
                mean = mean / count_ * (count_ - 1);
            } else {
                mean /= count_;
            }
            mean += static_cast<long double>(value) / count_;
            value_ = static_cast<double>(mean);
            overflowed_ = true;
        } else {
            value_ += value;
        }
    }
    double result() const noexcept { return overflowed_ ? value_ : value_ / count_; }

private:
    double value_ = 0;
    double count_ = 0;
    bool overflowed_ = false;
};

// The value of a non-empty bucket from its fold. avg needs the samples themselves only when the
// plain sum overflows; the caller then passes a running_average over the bucket's values.
inline double finalize(aggregator a, const summary& s, const std::optional<double>& overflow_avg) noexcept {
    const double n = static_cast<double>(s.count);
    switch (a) {
        case aggregator::avg: return overflow_avg ? *overflow_avg : s.sum / n;
        case aggregator::sum: return s.sum;
        case aggregator::min: return s.min;
        case aggregator::max: return s.max;
        case aggregator::range: return s.max - s.min;
        case aggregator::count: return n;
        case aggregator::first: return s.first.value;
        case aggregator::last: return s.last.value;
        case aggregator::var_p: return variance(s.sum, s.sum_squares, n);
        case aggregator::var_s: return s.count == 1 ? 0.0 : variance(s.sum, s.sum_squares, n) * n / (n - 1);
        case aggregator::std_p: return std::sqrt(variance(s.sum, s.sum_squares, n));
        case aggregator::std_s: return s.count == 1 ? 0.0 : std::sqrt(variance(s.sum, s.sum_squares, n) * n / (n - 1));
        case aggregator::twa: break;  // computed by time_weighted_average()
    }
    return nan_value;
}

// Whether a plain double sum over finite values overflowed (then avg needs running_average).
inline bool sum_overflowed(const summary& s) noexcept {
    return !std::isfinite(s.sum) && std::isfinite(s.min) && std::isfinite(s.max) && s.min != DBL_MAX;
}

// Time-weighted average of one bucket, as RedisTimeSeries's twa aggregator (WAvgAddValue,
// WAvgAddNextBucketFirstSample, WAvgFinalize). Each sample's value holds over the part of the
// bucket [start, end] that is closer to it than to its neighbours; `prev`/`next` are the samples
// just outside the bucket (when they exist) and contribute the stretch between the bucket edge
// and the midpoint towards them. Without a neighbour, the edge sample's outer weight is
// extrapolated from the nearest gap inside. A lone sample with no neighbours is its own average.
// Requires: !in_bucket.empty(), timestamps increasing, prev.ts < in_bucket.front().ts,
// next.ts > in_bucket.back().ts.
inline double time_weighted_average(const std::vector<sample>& in_bucket, const std::optional<sample>& prev,
                                    const std::optional<sample>& next, std::int64_t start, std::int64_t end) {
    double weighted_sum = 0;  // sum of value * weight
    double weight_sum = 0;
    std::size_t terms = 0;
    const auto distance = [](std::int64_t a, std::int64_t b) { return static_cast<double>(std::llabs(a - b)); };
    const auto add_term = [&](double value, double weight) {
        weighted_sum += value * weight;
        weight_sum += weight;
        ++terms;
    };
    const std::size_t n = in_bucket.size();
    const sample& first = in_bucket.front();

    // Left weight of the first sample (and prev's share of the bucket).
    double pending = 0;  // weight of the current sample accumulated from its left side
    if (prev) {
        const double half = distance(first.ts, prev->ts) / 2.0;
        if (half <= distance(start, prev->ts)) {
            pending = distance(first.ts, start);
        } else {
            add_term(prev->value, static_cast<double>(prev->ts) + half - static_cast<double>(start));
            pending = half;
        }
    }
    // Middle samples: each gap is split half and half.
    for (std::size_t i = 1; i < n; ++i) {
        const double half = distance(in_bucket[i].ts, in_bucket[i - 1].ts) / 2.0;
        const double left = (i == 1 && !prev) ? std::min(half, distance(first.ts, start)) : pending;
        add_term(in_bucket[i - 1].value, left + half);
        pending = half;
    }
    // Right weight of the last sample (and next's share of the bucket).
    const sample& last = in_bucket.back();
    if (next) {
        const double half = distance(next->ts, last.ts) / 2.0;
        const double left = (n == 1 && !prev) ? std::min(half, distance(last.ts, start)) : pending;
        if (half >= distance(end, last.ts)) {
            add_term(last.value, left + distance(end, last.ts));
        } else {
            add_term(last.value, left + half);
            add_term(next->value, static_cast<double>(end) - (static_cast<double>(last.ts) + half));
        }
    } else if (n == 1 && !prev) {
        return last.value;  // the only sample of the series
    } else {
        const std::int64_t before = n >= 2 ? in_bucket[n - 2].ts : prev->ts;
        const double half = distance(last.ts, before) / 2.0;
        add_term(last.value, std::min(half, distance(end, last.ts)) + pending);
    }
    // As RedisTimeSeries: the weighted sum divided by the mean weight, then by the number of terms.
    const double count = static_cast<double>(terms);
    if (weight_sum <= 0) return weighted_sum / count;
    return weighted_sum / (weight_sum / count) / count;
}

// The twa value of an empty bucket [ta, tb] from the samples around it (RedisTimeSeries's
// twa_fillEmptyBuckets): interpolated between the nearest sample before (`before`, with the one
// before it `before2`) and after (`after`, `after2`); NaN when neither side reaches the bucket.
inline double twa_empty_bucket(const std::optional<sample>& before, const std::optional<sample>& before2,
                               const std::optional<sample>& after, const std::optional<sample>& after2,
                               std::int64_t ta, std::int64_t tb) {
    if (before && after) {
        const std::int64_t middle = (after->ts + before->ts) / 2;
        if (middle < ta) return after->value;
        if (middle >= tb) return before->value;
        return (static_cast<double>(middle - ta) * before->value + static_cast<double>(tb - middle) * after->value) /
               static_cast<double>(tb - ta);
    }
    if (after && after2) {
        const std::int64_t delta = after2->ts - after->ts;
        if (tb + delta > after->ts && tb + delta / 2 > after->ts) return after->value;
        return nan_value;
    }
    if (before && before2) {
        const std::int64_t delta = before->ts - before2->ts;
        if (before->ts + delta > ta && before->ts + delta / 2 > ta) return before->value;
        return nan_value;
    }
    return nan_value;
}

}  // namespace detail::ts
}  // namespace BPTREE_ABI_NAMESPACE
}  // namespace bptree

#endif  // BPTREE_DETAIL_ADAPTORS_TS_AGGREGATION_HPP
