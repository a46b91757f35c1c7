// Test support: a reference model of one RedisTimeSeries series, written independently of the
// chunked implementation: a plain sorted vector of samples, and every query answered by brute
// force (variance and standard deviation by the two-pass formula, twa from the coverage
// intervals of the samples). Used by model_test.cpp.
#ifndef BPTREE_TESTS_ADAPTORS_TIME_SERIES_TS_MODEL_HPP
#define BPTREE_TESTS_ADAPTORS_TIME_SERIES_TS_MODEL_HPP

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <vector>

#include "bptree/time_series.hpp"

namespace bptree_test {

using bptree::aggregator;
using bptree::bucket_timestamp;
using bptree::duplicate_policy;
using bptree::ts_sample;

class ts_model {
public:
    explicit ts_model(std::int64_t retention = 0, std::optional<duplicate_policy> policy = std::nullopt)
        : retention_(retention), policy_(policy) {}

    const std::vector<ts_sample>& samples() const { return samples_; }
    void set_retention(std::int64_t r) {
        retention_ = r;
        trim();
    }

    // Returns false when the series refuses the sample (retention, BLOCK); the model is unchanged.
    bool add(std::int64_t ts, double v, std::optional<duplicate_policy> on_dup) {
        if (!samples_.empty() && retention_ > 0 && ts < samples_.back().ts - retention_) return false;
        const auto it = lower(ts);
        if (it != samples_.end() && it->ts == ts) {
            const duplicate_policy p = on_dup ? *on_dup : (policy_ ? *policy_ : duplicate_policy::block);
            switch (p) {
                case duplicate_policy::block: return false;
                case duplicate_policy::first: break;
                case duplicate_policy::last: it->value = v; break;
                case duplicate_policy::min: if (!(it->value < v)) it->value = v; break;
                case duplicate_policy::max: if (!(it->value > v)) it->value = v; break;
                case duplicate_policy::sum: it->value += v; break;
            }
            return true;
        }
        samples_.insert(it, ts_sample{ts, v});
        trim();
        return true;
    }
    bool incrby(std::int64_t ts, double delta) {
        if (!samples_.empty() && ts < samples_.back().ts && samples_.back().ts != 0) return false;
        const double base = samples_.empty() ? 0 : samples_.back().value;
        return add(ts, base + delta, duplicate_policy::last);
    }
    std::size_t del(std::int64_t from, std::int64_t to) {
        const auto a = lower(from), b = std::upper_bound(samples_.begin(), samples_.end(), to,
                                                         [](std::int64_t t, const ts_sample& s) { return t < s.ts; });
        const std::size_t n = a < b ? static_cast<std::size_t>(b - a) : 0;
        if (n) samples_.erase(a, b);
        return n;
    }

    struct query {
        std::int64_t from = 0, to = 0;
        std::optional<std::vector<std::int64_t>> filter_ts;
        std::optional<std::pair<double, double>> filter_value;
        std::optional<std::size_t> count;
        std::optional<bptree::ts_aggregation> agg;
        bool reverse = false;
    };

    // The query starts no earlier than the retention cutoff (dropped samples do not exist).
    std::vector<ts_sample> run(query q) const {
        if (retention_ > 0 && !samples_.empty() && samples_.back().ts > retention_) {
            q.from = std::max(q.from, samples_.back().ts - retention_);
        }
        if (q.from > q.to) return {};
        std::vector<ts_sample> accepted;
        for (const ts_sample& s : samples_) {
            if (s.ts >= q.from && s.ts <= q.to && accepts(q, s)) accepted.push_back(s);
        }
        std::vector<ts_sample> out = q.agg ? aggregate(q, accepted) : accepted;
        if (q.reverse) std::reverse(out.begin(), out.end());
        if (q.count && out.size() > *q.count) out.resize(*q.count);
        return out;
    }

private:
    std::vector<ts_sample>::iterator lower(std::int64_t ts) {
        return std::lower_bound(samples_.begin(), samples_.end(), ts,
                                [](const ts_sample& s, std::int64_t t) { return s.ts < t; });
    }
    void trim() {
        if (retention_ <= 0 || samples_.empty() || samples_.back().ts <= retention_) return;
        const std::int64_t cut = samples_.back().ts - retention_;
        samples_.erase(samples_.begin(), lower(cut));
    }
    static bool accepts(const query& q, const ts_sample& s) {
        if (q.filter_value && !(s.value >= q.filter_value->first && s.value <= q.filter_value->second)) return false;
        return !q.filter_ts || std::find(q.filter_ts->begin(), q.filter_ts->end(), s.ts) != q.filter_ts->end();
    }
    static std::int64_t floor_mod(std::int64_t a, std::int64_t m) { return ((a % m) + m) % m; }
    std::optional<ts_sample> series_before(std::int64_t ts) const {
        std::optional<ts_sample> r;
        for (const ts_sample& s : samples_) {
            if (s.ts < ts) r = s;
        }
        return r;
    }
    std::optional<ts_sample> series_from(std::int64_t ts, std::size_t skip = 0) const {
        for (const ts_sample& s : samples_) {
            if (s.ts >= ts && skip-- == 0) return s;
        }
        return std::nullopt;
    }

    static double brute_value(aggregator a, const std::vector<ts_sample>& b) {
        const double n = static_cast<double>(b.size());
        double sum = 0, mn = DBL_MAX, mx = -DBL_MAX;
        for (const ts_sample& s : b) {
            sum += s.value;
            if (s.value < mn) mn = s.value;
            if (s.value > mx) mx = s.value;
        }
        const double mean = sum / n;
        double squares = 0;
        for (const ts_sample& s : b) squares += (s.value - mean) * (s.value - mean);
        switch (a) {
            case aggregator::avg: return mean;
            case aggregator::sum: return sum;
            case aggregator::min: return mn;
            case aggregator::max: return mx;
            case aggregator::range: return mx - mn;
            case aggregator::count: return n;
            case aggregator::first: return b.front().value;
            case aggregator::last: return b.back().value;
            case aggregator::var_p: return squares / n;
            case aggregator::var_s: return b.size() == 1 ? 0 : squares / (n - 1);
            case aggregator::std_p: return std::sqrt(squares / n);
            case aggregator::std_s: return b.size() == 1 ? 0 : std::sqrt(squares / (n - 1));
            case aggregator::twa: break;
        }
        throw std::logic_error("twa has its own path");
    }

    // twa as coverage: each sample holds its value from the midpoint with its left neighbour to
    // the midpoint with its right neighbour, clipped to [ta, tb]; a neighbour outside the bucket
    // covers the clipped stretch up to the midpoint; a missing neighbour mirrors the nearest gap
    // inside (still clipped to the bucket).
    static double twa(const std::vector<ts_sample>& b, std::optional<ts_sample> p, std::optional<ts_sample> q,
                      std::int64_t ta, std::int64_t tb) {
        if (b.size() == 1 && !p && !q) return b.front().value;
        double wsum = 0, vsum = 0;
        const auto cover = [&](double value, double lo, double hi) {
            vsum += value * (hi - lo);
            wsum += hi - lo;
        };
        const double A = static_cast<double>(ta), B = static_cast<double>(tb);
        for (std::size_t i = 0; i < b.size(); ++i) {
            const double t = static_cast<double>(b[i].ts);
            double lo, hi;
            if (i > 0) {
                lo = (t + static_cast<double>(b[i - 1].ts)) / 2;
            } else if (p) {
                // RedisTimeSeries compares the half gap with |A - p|, so a neighbour inside the
                // bucket (a sample the value filter dropped) counts as if it were outside.
                const double mid = (t + static_cast<double>(p->ts)) / 2;
                if ((t - static_cast<double>(p->ts)) / 2 <= std::fabs(A - static_cast<double>(p->ts))) {
                    lo = A;
                } else {
                    lo = mid;
                    cover(p->value, A, mid);
                }
            } else {
                const double gap = b.size() > 1 ? static_cast<double>(b[1].ts) - t : static_cast<double>(q->ts) - t;
                lo = t - std::min(gap / 2, t - A);
            }
            if (i + 1 < b.size()) {
                hi = (t + static_cast<double>(b[i + 1].ts)) / 2;
            } else if (q) {
                const double mid = (t + static_cast<double>(q->ts)) / 2;
                hi = std::min(mid, B);
                if (mid < B) cover(q->value, mid, B);
            } else {
                const double gap = b.size() > 1 ? t - static_cast<double>(b[i - 1].ts) : t - static_cast<double>(p->ts);
                hi = t + std::min(gap / 2, B - t);
            }
            cover(b[i].value, lo, hi);
        }
        // A bucket clipped to a single instant gives every sample weight 0: RedisTimeSeries then
        // averages value * 0, which is 0.
        return wsum > 0 ? vsum / wsum : 0.0;
    }

    double twa_empty(std::int64_t ta, std::int64_t tb) const {
        const std::optional<ts_sample> before = series_before(ta);
        const std::optional<ts_sample> before2 = before ? series_before(before->ts) : std::nullopt;
        const std::optional<ts_sample> after = series_from(ta), after2 = series_from(ta, 1);
        const double nan = std::numeric_limits<double>::quiet_NaN();
        if (before && after) {
            const std::int64_t mid = (before->ts + after->ts) / 2;
            if (mid < ta) return after->value;
            if (mid >= tb) return before->value;
            return (static_cast<double>(mid - ta) * before->value + static_cast<double>(tb - mid) * after->value) /
                   static_cast<double>(tb - ta);
        }
        if (after && after2) return tb + (after2->ts - after->ts) / 2 > after->ts ? after->value : nan;
        if (before && before2) return before->ts + (before->ts - before2->ts) / 2 > ta ? before->value : nan;
        return nan;
    }

    std::vector<ts_sample> aggregate(const query& q, const std::vector<ts_sample>& accepted) const {
        const bptree::ts_aggregation& g = *q.agg;
        const std::int64_t d = g.bucket_duration;
        const auto start_of = [&](std::int64_t ts) { return ts - floor_mod(ts - g.align, d); };
        const auto stamp = [&](std::int64_t start) {
            const std::int64_t s = std::max<std::int64_t>(start, 0);
            return g.reported == bucket_timestamp::start ? s : g.reported == bucket_timestamp::end ? s + d : s + d / 2;
        };
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const auto empty_value = [&](std::int64_t start) {
            if (g.type == aggregator::sum || g.type == aggregator::count) return 0.0;
            if (g.type != aggregator::twa) return nan;
            return twa_empty(std::max<std::int64_t>(std::max<std::int64_t>(start, 0), q.from), std::min(start + d, q.to));
        };
        std::vector<ts_sample> out;
        std::vector<std::int64_t> starts;
        for (const ts_sample& s : accepted) {
            if (starts.empty() || starts.back() != start_of(s.ts)) starts.push_back(start_of(s.ts));
        }
        std::int64_t first_bucket = 0, last_bucket = -1;
        if (g.empty && g.type == aggregator::twa && !samples_.empty()) {
            first_bucket = start_of(std::max(q.from, samples_.front().ts));
            last_bucket = start_of(std::min(q.to, samples_.back().ts));
        }
        if (!starts.empty()) {
            if (first_bucket > last_bucket) {
                first_bucket = starts.front();
                last_bucket = starts.back();
            } else {
                first_bucket = std::min(first_bucket, starts.front());
                last_bucket = std::max(last_bucket, starts.back());
            }
        }
        if (starts.empty() && !(g.empty && g.type == aggregator::twa)) return out;
        for (std::int64_t b = first_bucket; b <= last_bucket; b += d) {
            std::vector<ts_sample> in;
            for (const ts_sample& s : accepted) {
                if (s.ts >= b && s.ts < b + d) in.push_back(s);
            }
            if (in.empty()) {
                if (g.empty) out.push_back(ts_sample{stamp(b), empty_value(b)});
                continue;
            }
            if (g.type != aggregator::twa) {
                out.push_back(ts_sample{stamp(b), brute_value(g.type, in)});
                continue;
            }
            // Neighbours: the accepted samples next to the bucket, else the series' samples.
            std::optional<ts_sample> p, nx;
            for (const ts_sample& s : accepted) {
                if (s.ts < in.front().ts) p = s;
                if (s.ts > in.back().ts && !nx) nx = s;
            }
            if (!p) p = series_before(in.front().ts);
            if (!nx) nx = series_from(in.back().ts + 1);
            const std::int64_t ta = std::max(std::max<std::int64_t>(b, 0), q.from), tb = std::min(b + d, q.to);
            out.push_back(ts_sample{stamp(b), twa(in, p, nx, ta, tb)});
        }
        return out;
    }

    std::vector<ts_sample> samples_;
    std::int64_t retention_;
    std::optional<duplicate_policy> policy_;
};

}  // namespace bptree_test

#endif  // BPTREE_TESTS_ADAPTORS_TIME_SERIES_TS_MODEL_HPP
