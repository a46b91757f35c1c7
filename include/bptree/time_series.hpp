// File: bptree/time_series.hpp
// Layer: public adaptor. bptree::time_series<Index>: one RedisTimeSeries series (1.10/1.12
// semantics): int64 millisecond timestamps (>= 0), double values, retention, duplicate policies,
// raw and aggregated range queries, and compaction rules into other series. The command layer
// (TS.* commands) is bptree/detail/redis/ts_commands.hpp, reached through <bptree/redis.hpp>.
// Includes: public headers (map.hpp, error.hpp) and the adaptor internals under
// detail/adaptors/ts_*.hpp, which include only standard headers, so the adaptor runs over
// std::map as well as bptree::map.
//
// Layout. Samples live in chunks (detail/adaptors/ts_chunk.hpp): sorted arrays of at most
// CHUNK_SIZE bytes, plain or Gorilla-compressed (ENCODING), each with a summary (count, sum, sum of
// squares, min, max, first, last). A chunk index maps each chunk's first timestamp to the chunk;
// the index type is Index::map_type<std::int64_t, chunk>: std_map_index (std::map, the design's
// default) or bptree_map_index (bptree::map).
//
//   index:  first_ts -> chunk [ts... sorted | summary]
//   appends touch only the last chunk (a full last chunk gets a new successor);
//   an out-of-order sample goes into the chunk whose range covers it (the first chunk when it is
//   older than everything), which splits in two halves first when full;
//   a bucket that covers a whole chunk, and a FILTER_BY_VALUE range that misses a chunk's
//   [min, max], use the summary instead of the samples.
//
// Invariants (verify() checks them in this order; messages start with the label):
//   S1 every index key equals its chunk's first timestamp; no chunk is empty (and C1..C3 of
//      ts_chunk.hpp hold inside each chunk).
//   S2 chunks are disjoint and ordered: a chunk's last timestamp < the next chunk's first.
//   S3 size_ equals the number of stored samples; last_ equals the last chunk's last sample.
//   S4 samples older than the retention cutoff (newest timestamp - retention) are dropped: they
//      may still be stored only in the first chunk, where every read and count skips them (they
//      are purged before any operation that could move the cutoff back).
//   S5 rule links are mutual: for each rule, rule.dest->source_ == this.
//
// Complexity (n samples, C samples per chunk, k results): append O(1) amortized + index insert
// O(log(n/C)) once per chunk; out-of-order add, delete inside a chunk O(log(n/C) + C); get O(1);
// raw range O(log(n/C) + k + C); aggregated range O(log(n/C) + k + samples in partly covered
// chunks). A compressed chunk decodes in O(C) whenever its samples are read.
//
// Exception guarantee: a member that throws bptree::error leaves the series unchanged; the error's
// what() is the exact RedisTimeSeries error reply ("ERR TSDB: ..."). Writes into the destination
// series of a compaction rule are best effort, as in RedisTimeSeries (a refused write, for example
// one older than the destination's retention, is skipped). Other exceptions (std::bad_alloc) leave
// every series valid (basic guarantee): a chunk edit builds the new chunk aside and commits it with
// noexcept steps, so a single-sample add, or a delete within one chunk, leaves the series' samples
// either unchanged or fully changed; a delete over several chunks may stop after some of them. A
// compaction update that then fails leaves that destination bucket as it was, until a later write
// or delete in the bucket recomputes it.
//
// Compaction rules link two series objects by address: the destination must outlive the rule
// (both destructors and moves keep the links right; copies carry no rules). The destination of a
// rule holds one sample per closed bucket of the source (buckets before the one holding the
// source's newest sample), keyed by the bucket's start, recomputed from the source's samples when
// the bucket closes and whenever a write or delete touches a closed bucket.
#ifndef BPTREE_TIME_SERIES_HPP
#define BPTREE_TIME_SERIES_HPP

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "bptree/detail/adaptors/ts_aggregation.hpp"
#include "bptree/detail/adaptors/ts_chunk.hpp"
#include "bptree/detail/adaptors/ts_gorilla.hpp"
#include "bptree/detail/config.hpp"
#include "bptree/error.hpp"
#include "bptree/map.hpp"

namespace bptree {
inline namespace BPTREE_ABI_NAMESPACE {

using ts_sample = detail::ts::sample;

// How an add on an existing timestamp is resolved (DUPLICATE_POLICY / ON_DUPLICATE).
enum class duplicate_policy { block, first, last, min, max, sum };

// Chunk index backends.
struct std_map_index {
    template <class Key, class T>
    using map_type = std::map<Key, T>;
};
struct bptree_map_index {
    template <class Key, class T>
    using map_type = bptree::map<Key, T>;
};

// TS.CREATE options. chunk_size_bytes: a multiple of 8 in [48, 1048576] (RedisTimeSeries 1.10+).
// No duplicate_policy means the module default, BLOCK.
struct time_series_options {
    std::int64_t retention_ms = 0;  // 0: keep everything
    ts_encoding encoding = ts_encoding::compressed;
    std::size_t chunk_size_bytes = 4096;
    std::optional<duplicate_policy> policy;
    std::vector<std::pair<std::string, std::string>> labels;
};

// AGGREGATION aggregator bucketDuration [ALIGN align] [BUCKETTIMESTAMP bt] [EMPTY].
struct ts_aggregation {
    aggregator type = aggregator::avg;
    std::int64_t bucket_duration = 1;
    std::int64_t align = 0;  // bucket starts are multiples of bucket_duration shifted by align
    bucket_timestamp reported = bucket_timestamp::start;
    bool empty = false;  // also report empty buckets
};

// The optional arguments of TS.RANGE / TS.REVRANGE.
struct ts_range_options {
    std::optional<std::vector<std::int64_t>> filter_by_ts;  // exact timestamps to keep
    std::optional<std::pair<double, double>> filter_by_value;  // [min, max]
    std::optional<std::size_t> count;
    std::optional<ts_aggregation> aggregation;
};

struct ts_rule_info {
    std::string dest_name;
    std::int64_t bucket_duration;
    aggregator type;
    std::int64_t align;
};

struct ts_chunk_info {
    std::int64_t first_ts;
    std::int64_t last_ts;
    std::size_t samples;
    std::size_t data_bytes;
};

// TS.INFO for one series (memory figures are this implementation's, not Redis's allocator's).
struct time_series_info {
    std::size_t total_samples = 0;
    std::size_t memory_bytes = 0;
    std::int64_t first_ts = 0;
    std::int64_t last_ts = 0;
    std::int64_t retention_ms = 0;
    std::size_t chunk_count = 0;
    std::size_t chunk_size_bytes = 0;
    ts_encoding encoding = ts_encoding::compressed;
    std::optional<duplicate_policy> policy;
    std::vector<std::pair<std::string, std::string>> labels;
    std::optional<std::string> source_name;
    std::vector<ts_rule_info> rules;
    std::vector<ts_chunk_info> chunks;
};

namespace detail::ts {

// RedisTimeSeries's error replies, as the typed members throw them and the commands reply them.
// (Two of the module's replies carry no "ERR " prefix because it writes them with
// RedisModule_ReplyWithError directly: a negative RETENTION and an INCRBY into the past.)
namespace message {
inline constexpr const char* key_missing = "ERR TSDB: the key does not exist";
inline constexpr const char* key_exists = "ERR TSDB: key already exists";
inline constexpr const char* invalid_value = "ERR TSDB: invalid value";
inline constexpr const char* invalid_timestamp = "ERR TSDB: invalid timestamp";
inline constexpr const char* negative_timestamp = "ERR TSDB: invalid timestamp, must be a nonnegative integer";
inline constexpr const char* older_than_retention = "ERR TSDB: Timestamp is older than retention";
inline constexpr const char* upsert_blocked =
    "ERR TSDB: Error at upsert, update is not supported when DUPLICATE_POLICY is set to BLOCK mode";
inline constexpr const char* incrby_past = "TSDB: timestamp must be equal to or higher than the maximum existing timestamp";
inline constexpr const char* invalid_increment = "ERR TSDB: invalid increase/decrease value";
inline constexpr const char* bad_retention = "ERR TSDB: Couldn't parse RETENTION";
inline constexpr const char* negative_retention = "TSDB: Couldn't parse RETENTION";
inline constexpr const char* bad_chunk_size = "ERR TSDB: Couldn't parse CHUNK_SIZE";
inline constexpr const char* chunk_size_range =
    "ERR TSDB: CHUNK_SIZE value must be a multiple of 8 in the range [48 .. 1048576]";
inline constexpr const char* bad_labels = "ERR TSDB: Couldn't parse LABELS";
inline constexpr const char* bad_policy = "ERR TSDB: Couldn't parse DUPLICATE_POLICY";
inline constexpr const char* unknown_policy = "ERR TSDB: Unknown DUPLICATE_POLICY";
inline constexpr const char* unknown_encoding = "ERR TSDB: unknown ENCODING parameter";
inline constexpr const char* bucket_not_positive = "ERR TSDB: bucketDuration must be greater than zero";
inline constexpr const char* negative_align = "ERR TSDB: alignTimestamp should be greater or equal to 0";
inline constexpr const char* same_source_and_dest = "ERR TSDB: the source key and destination key should be different";
inline constexpr const char* source_has_source = "ERR TSDB: the source key already has a source rule";
inline constexpr const char* dest_has_rules = "ERR TSDB: the destination key already has a dst rule";
inline constexpr const char* dest_has_source = "ERR TSDB: the destination key already has a src rule";
inline constexpr const char* rule_missing = "ERR TSDB: compaction rule does not exist";
inline constexpr const char* delete_beyond_retention =
    "ERR TSDB: When a series has compactions, deleting samples or compaction buckets beyond the series retention "
    "period is not possible";
}  // namespace message

[[noreturn]] inline void fail(const char* message) { throw bptree::error(message); }

inline constexpr std::int64_t max_timestamp = std::numeric_limits<std::int64_t>::max();
inline constexpr std::size_t min_chunk_bytes = 48;
inline constexpr std::size_t max_chunk_bytes = 1048576;

// The one duplicate-policy resolver (RedisTimeSeries's handleDuplicateSample): the value kept for
// a timestamp that already holds `old_value`, or nullopt when the policy refuses (BLOCK).
// NaN rules follow from the comparisons: MIN keeps the old value only when old < new and MAX only
// when old > new, so a NaN on either side lets the new value through; SUM propagates NaN.
inline std::optional<double> resolve_duplicate(duplicate_policy policy, double old_value, double new_value) noexcept {
    switch (policy) {
        case duplicate_policy::block: return std::nullopt;
        case duplicate_policy::first: return old_value;
        case duplicate_policy::last: return new_value;
        case duplicate_policy::min: return old_value < new_value ? old_value : new_value;
        case duplicate_policy::max: return old_value > new_value ? old_value : new_value;
        case duplicate_policy::sum: return old_value + new_value;
    }
    return std::nullopt;
}

inline void validate_chunk_size(std::size_t bytes) {
    if (bytes < min_chunk_bytes || bytes > max_chunk_bytes || bytes % 8 != 0) fail(message::chunk_size_range);
}
inline void validate_retention(std::int64_t retention) {
    if (retention < 0) fail(message::negative_retention);
}
// RedisTimeSeries refuses empty label names or values and values holding '(', ')' or ','.
inline void validate_labels(const std::vector<std::pair<std::string, std::string>>& labels) {
    for (const auto& [name, value] : labels) {
        if (name.empty() || value.empty() || value.find_first_of("(),") != std::string::npos) fail(message::bad_labels);
    }
}

}  // namespace detail::ts

template <class Index = std_map_index>
class time_series {
    using chunk = detail::ts::chunk;
    using sample = detail::ts::sample;
    using summary = detail::ts::summary;
    using index_type = typename Index::template map_type<std::int64_t, chunk>;
    using index_iterator = typename index_type::iterator;
    using index_const_iterator = typename index_type::const_iterator;
    using reader = detail::ts::chunk_reader;
    static_assert(std::is_nothrow_move_constructible_v<chunk> && std::is_nothrow_move_assignable_v<chunk>,
                  "chunk edits are committed by moves that must not throw");

public:
    using index_policy = Index;

    // Throws bptree::error on invalid options (CHUNK_SIZE range, negative RETENTION, LABELS).
    explicit time_series(time_series_options options = {}) : options_(std::move(options)) {
        detail::ts::validate_chunk_size(options_.chunk_size_bytes);
        detail::ts::validate_retention(options_.retention_ms);
        detail::ts::validate_labels(options_.labels);
    }

    // Copies samples and options; rule links are not copied (they name one object each).
    time_series(const time_series& other)
        : options_(other.options_), index_(other.index_), size_(other.size_), last_(other.last_) {}
    time_series& operator=(const time_series& other) {
        if (this != &other) {
            time_series copy(other);
            *this = std::move(copy);
        }
        return *this;
    }
    time_series(time_series&& other) noexcept
        : options_(std::move(other.options_)),
          index_(std::move(other.index_)),
          size_(other.size_),
          last_(other.last_),
          rules_(std::move(other.rules_)),
          source_(other.source_),
          source_name_(std::move(other.source_name_)) {
        other.size_ = 0;
        other.rules_.clear();
        other.source_ = nullptr;
        relink_from(&other);
    }
    time_series& operator=(time_series&& other) noexcept {
        if (this != &other) {
            unlink_all();
            options_ = std::move(other.options_);
            index_ = std::move(other.index_);
            size_ = other.size_;
            last_ = other.last_;
            rules_ = std::move(other.rules_);
            source_ = other.source_;
            source_name_ = std::move(other.source_name_);
            other.size_ = 0;
            other.rules_.clear();
            other.source_ = nullptr;
            relink_from(&other);
        }
        return *this;
    }
    ~time_series() { unlink_all(); }

    // ---- writes -------------------------------------------------------------------------------

    // TS.ADD: stores (ts, value); returns ts. An existing timestamp is resolved by on_duplicate,
    // else the series policy, else BLOCK. Throws: negative ts, NaN or infinite value (TS.ADD's
    // parser takes neither), ts older than the retention cutoff, BLOCK on a duplicate.
    std::int64_t add(std::int64_t ts, double value, std::optional<duplicate_policy> on_duplicate = std::nullopt) {
        if (ts < 0) detail::ts::fail(detail::ts::message::negative_timestamp);
        if (!std::isfinite(value)) detail::ts::fail(detail::ts::message::invalid_value);
        write(ts, value, on_duplicate ? *on_duplicate : effective_policy());
        return ts;
    }

    // TS.INCRBY / TS.DECRBY at ts: the newest value plus (minus) delta, stored at ts, which must
    // not be older than the newest sample (an equal one is overwritten). Returns ts.
    std::int64_t incrby(std::int64_t ts, double delta) { return increment(ts, delta); }
    std::int64_t decrby(std::int64_t ts, double delta) { return increment(ts, -delta); }

    // TS.DEL from to: removes the samples with from <= ts <= to; returns how many.
    std::size_t del(std::int64_t from, std::int64_t to) {
        check_delete_keeps_compactions(from);
        return erase_and_recompact(from, to);
    }

    // TS.ALTER.
    void set_retention(std::int64_t retention_ms) {
        detail::ts::validate_retention(retention_ms);
        purge_dropped();
        options_.retention_ms = retention_ms;
        drop_expired_chunks();
    }
    void set_chunk_size(std::size_t bytes) {
        detail::ts::validate_chunk_size(bytes);
        options_.chunk_size_bytes = bytes;
    }
    void set_duplicate_policy(std::optional<duplicate_policy> policy) { options_.policy = policy; }
    void set_labels(std::vector<std::pair<std::string, std::string>> labels) {
        detail::ts::validate_labels(labels);
        options_.labels = std::move(labels);
    }

    // ---- reads --------------------------------------------------------------------------------

    // TS.GET: the newest sample, if any. O(1).
    std::optional<ts_sample> get() const {
        if (size_ == 0) return std::nullopt;
        return last_;
    }
    // Samples visible to queries (S4: those older than the retention cutoff are not counted).
    std::size_t size() const { return size_ - dropped_count(); }
    bool empty() const noexcept { return size_ == 0; }
    std::int64_t first_timestamp() const {
        reader in;
        const auto first = find_first(in, cutoff(), detail::ts::max_timestamp, no_filter(), false);
        return first ? first->ts : 0;
    }
    std::int64_t last_timestamp() const noexcept { return size_ == 0 ? 0 : last_.ts; }

    // TS.RANGE / TS.REVRANGE over [from, to] (inclusive).
    std::vector<ts_sample> range(std::int64_t from, std::int64_t to, const ts_range_options& options = {}) const {
        return query(from, to, options, false);
    }
    std::vector<ts_sample> revrange(std::int64_t from, std::int64_t to, const ts_range_options& options = {}) const {
        return query(from, to, options, true);
    }

    const time_series_options& options() const noexcept { return options_; }
    time_series_info info() const;

    std::size_t chunk_count() const noexcept { return index_.size(); }
    // Sample data bytes over all chunks (16 per plain sample; the bit streams when compressed).
    std::size_t data_bytes() const noexcept {
        std::size_t bytes = 0;
        for (const auto& entry : index_) bytes += entry.second.data_bytes();
        return bytes;
    }
    // Bytes allocated for the chunks (objects and buffers), without the index nodes.
    std::size_t allocated_bytes() const noexcept {
        std::size_t bytes = 0;
        for (const auto& entry : index_) bytes += entry.second.allocated_bytes();
        return bytes;
    }

    // ---- compaction rules (TS.CREATERULE / TS.DELETERULE) --------------------------------------

    // Feeds dest with one sample per closed bucket of `type` over bucket_duration (ms), bucket
    // starts shifted by align. The names are what TS.INFO reports (rules, sourceKey).
    void create_rule(time_series& dest, aggregator type, std::int64_t bucket_duration, std::int64_t align = 0,
                     std::string dest_name = {}, std::string source_name = {}) {
        if (bucket_duration <= 0) detail::ts::fail(detail::ts::message::bucket_not_positive);
        if (align < 0) detail::ts::fail(detail::ts::message::negative_align);
        if (&dest == this) detail::ts::fail(detail::ts::message::same_source_and_dest);
        if (source_ != nullptr) detail::ts::fail(detail::ts::message::source_has_source);
        if (!dest.rules_.empty()) detail::ts::fail(detail::ts::message::dest_has_rules);
        if (dest.source_ != nullptr) detail::ts::fail(detail::ts::message::dest_has_source);
        rules_.push_back(rule{&dest, type, bucket_duration, align, std::move(dest_name)});
        dest.source_ = this;
        dest.source_name_ = std::move(source_name);
    }
    void delete_rule(time_series& dest) {
        const auto it = std::find_if(rules_.begin(), rules_.end(), [&](const rule& r) { return r.dest == &dest; });
        if (it == rules_.end()) detail::ts::fail(detail::ts::message::rule_missing);
        rules_.erase(it);
        dest.source_ = nullptr;
        dest.source_name_.clear();
    }
    bool has_rules() const noexcept { return !rules_.empty(); }
    bool has_source() const noexcept { return source_ != nullptr; }

    // Checks S1..S5 (and the chunk invariants); throws std::logic_error naming the broken one.
    void verify() const;

private:
    struct rule {
        time_series* dest;
        aggregator type;
        std::int64_t bucket_duration;
        std::int64_t align;
        std::string dest_name;
    };

    // Sample predicates of a query (FILTER_BY_TS, FILTER_BY_VALUE).
    struct sample_filter {
        const std::vector<std::int64_t>* timestamps = nullptr;  // sorted, unique
        std::optional<std::pair<double, double>> values;

        bool none() const noexcept { return timestamps == nullptr && !values; }
        bool accepts(const sample& s) const {
            if (values && !(s.value >= values->first && s.value <= values->second)) return false;
            return timestamps == nullptr || std::binary_search(timestamps->begin(), timestamps->end(), s.ts);
        }
        // A chunk whose [min, max] misses the value range has no accepted sample.
        bool may_accept(const summary& s) const noexcept {
            return !values || (s.max >= values->first && s.min <= values->second);
        }
    };
    static sample_filter no_filter() noexcept { return {}; }

    duplicate_policy effective_policy() const noexcept {
        return options_.policy ? *options_.policy : duplicate_policy::block;
    }

    // ---- retention (S4) ----

    // Samples with ts < cutoff() are dropped. 0 (nothing dropped) without retention.
    std::int64_t cutoff() const noexcept {
        const std::int64_t retention = options_.retention_ms;
        if (retention <= 0 || size_ == 0 || last_.ts <= retention) return 0;
        return last_.ts - retention;
    }
    // Dropped samples still stored (only in the first chunk, S4).
    std::size_t dropped_count() const {
        const std::int64_t cut = cutoff();
        if (index_.empty() || index_.begin()->first >= cut) return 0;
        std::vector<sample> scratch;
        const std::vector<sample>& all = index_.begin()->second.samples(scratch);
        return static_cast<std::size_t>(
            std::lower_bound(all.begin(), all.end(), cut, [](const sample& s, std::int64_t t) { return s.ts < t; }) -
            all.begin());
    }
    // Frees whole chunks that the cutoff has passed (never the last one). O(1) amortized.
    void drop_expired_chunks() {
        const std::int64_t cut = cutoff();
        while (index_.size() > 1 && index_.begin()->second.last_ts() < cut) {
            size_ -= index_.begin()->second.size();
            index_.erase(index_.begin());
        }
    }
    // Removes the dropped samples still stored, before an operation that may lower the cutoff.
    void purge_dropped() {
        drop_expired_chunks();
        const std::int64_t cut = cutoff();
        if (index_.empty() || index_.begin()->first >= cut) return;
        const std::size_t removed = dropped_count();
        edit_chunk(index_.begin(), [&](std::vector<sample>& v) { v.erase(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(removed)); });
        size_ -= removed;
    }

    // ---- chunk index helpers ----

    // The chunk whose range covers ts: the last chunk with first_ts <= ts, else the first chunk.
    template <class Self>
    static auto chunk_for(Self& self, std::int64_t ts) {
        auto it = self.index_.upper_bound(ts);
        if (it != self.index_.begin()) --it;
        return it;
    }
    // Replaces the chunk at it by its edited copy (chunk::edited), re-keyed (S1), or drops it when
    // the edit emptied it. Strong guarantee: what can throw (the copy, the edit, the encoding, the
    // index node of a new key) happens while the stored chunk is still whole; the commit after it
    // (a chunk move, an erase of an int64 key) does not throw. The caller updates size_ and last_
    // once this returns. Iterators into the index are invalid afterwards (bptree::map).
    template <class Edit>
    void edit_chunk(index_iterator it, Edit&& edit) {
        chunk edited = it->second.edited(std::forward<Edit>(edit));
        if (edited.empty()) {
            index_.erase(it);
        } else if (edited.first_ts() == it->first) {
            it->second = std::move(edited);
        } else {
            // The new first timestamp lies inside this chunk's span or before the first chunk (S2),
            // so it is no other chunk's key: the old entry goes only once the new one is stored.
            const std::int64_t old_key = it->first;
            const bool stored = index_.emplace(edited.first_ts(), std::move(edited)).second;
            assert(stored);
            (void)stored;
            index_.erase(old_key);
        }
    }
    void refresh_last() noexcept {
        if (!index_.empty()) last_ = std::prev(index_.end())->second.last();
    }
    std::optional<double> stored_value(std::int64_t ts) const {
        if (index_.empty()) return std::nullopt;
        std::vector<sample> scratch;
        const std::vector<sample>& all = chunk_for(*this, ts)->second.samples(scratch);
        const auto it = std::lower_bound(all.begin(), all.end(), ts, [](const sample& s, std::int64_t t) { return s.ts < t; });
        if (it == all.end() || it->ts != ts) return std::nullopt;
        return it->value;
    }

    // ---- writes ----

    std::int64_t increment(std::int64_t ts, double delta) {
        if (ts < 0) detail::ts::fail(detail::ts::message::negative_timestamp);
        if (size_ != 0 && ts < last_.ts && last_.ts != 0) detail::ts::fail(detail::ts::message::incrby_past);
        const double base = size_ == 0 ? 0.0 : last_.value;
        write(ts, base + delta, duplicate_policy::last);
        return ts;
    }

    // Every sample write goes through here: retention check, append or upsert, then the rules.
    void write(std::int64_t ts, double value, duplicate_policy policy) {
        if (size_ != 0 && ts < cutoff()) detail::ts::fail(detail::ts::message::older_than_retention);
        if (size_ == 0 || ts > last_.ts) {
            const std::optional<std::int64_t> previous_last =
                size_ == 0 ? std::nullopt : std::optional<std::int64_t>(last_.ts);
            append(sample{ts, value});
            drop_expired_chunks();
            for (const rule& r : rules_) close_buckets_after_append(r, previous_last, ts);
            return;
        }
        upsert(sample{ts, value}, policy);
        for (const rule& r : rules_) recompact_bucket_of(r, ts);
    }

    void append(const sample& s) {
        if (index_.empty() || std::prev(index_.end())->second.is_full(options_.chunk_size_bytes)) {
            chunk fresh(options_.encoding, options_.chunk_size_bytes);
            fresh.append(s);
            index_.emplace_hint(index_.end(), s.ts, std::move(fresh));
        } else {
            std::prev(index_.end())->second.append(s);
        }
        ++size_;
        last_ = s;
    }

    // Requires: size_ != 0 and s.ts <= last_.ts. One decode and re-encode of the target chunk (a
    // full chunk is first checked for the timestamp, and split when the sample is new).
    void upsert(const sample& s, duplicate_policy policy) {
        {
            const auto it = chunk_for(*this, s.ts);
            if (it->second.is_full(options_.chunk_size_bytes) && !stored_value(s.ts)) split_if_full(it);
        }
        bool inserted = false;
        edit_chunk(chunk_for(*this, s.ts), [&](std::vector<sample>& v) {
            const auto at = std::lower_bound(v.begin(), v.end(), s.ts, [](const sample& x, std::int64_t t) { return x.ts < t; });
            if (at != v.end() && at->ts == s.ts) {
                const std::optional<double> kept = detail::ts::resolve_duplicate(policy, at->value, s.value);
                if (!kept) detail::ts::fail(detail::ts::message::upsert_blocked);  // nothing changed yet
                at->value = *kept;
            } else {
                v.insert(at, s);
                inserted = true;
            }
        });
        if (inserted) ++size_;
        refresh_last();
    }
    // Splits the chunk at it in two halves when it is full. Strong guarantee: both halves are
    // built aside and the upper one is stored under its own key while the chunk still holds every
    // sample; only then (noexcept) does the chunk become the lower half.
    void split_if_full(index_iterator it) {
        const chunk& c = it->second;
        if (!c.is_full(options_.chunk_size_bytes) || c.size() < 2) return;
        const std::int64_t key = it->first;
        auto halves = c.halves(options_.chunk_size_bytes);
        index_.emplace(halves.second.first_ts(), std::move(halves.second));
        index_.find(key)->second = std::move(halves.first);  // emplace invalidated it (bptree::map)
    }

    // Removes the samples in [from, to]; returns how many were visible. Each chunk changes with
    // the strong guarantee and size_ with it, so a throw part way leaves a valid series (the
    // chunks before the failing one edited: basic guarantee) with last_ recomputed.
    std::size_t erase_range(std::int64_t from, std::int64_t to) {
        purge_dropped();  // the cutoff may move back if the newest samples go
        from = std::max(from, cutoff());
        if (from > to || index_.empty()) return 0;
        std::vector<std::int64_t> keys;  // chunks overlapping [from, to]
        for (auto it = chunk_for(*this, from); it != index_.end() && it->first <= to; ++it) {
            if (it->second.last_ts() >= from) keys.push_back(it->first);
        }
        std::size_t removed = 0;
        try {
            for (const std::int64_t key : keys) removed += erase_in_chunk(index_.find(key), from, to);
        } catch (...) {
            refresh_last_after_erase();
            throw;
        }
        refresh_last_after_erase();
        return removed;
    }
    // Removes the samples of the chunk at it in [from, to] (the whole chunk when it lies inside),
    // keeping size_ equal to the stored samples; returns how many. Strong guarantee.
    std::size_t erase_in_chunk(index_iterator it, std::int64_t from, std::int64_t to) {
        const chunk& c = it->second;
        const std::size_t before = c.size();
        if (c.first_ts() >= from && c.last_ts() <= to) {
            index_.erase(it);
            size_ -= before;
            return before;
        }
        std::size_t after = before;
        edit_chunk(it, [&](std::vector<sample>& v) {
            const auto lo = std::lower_bound(v.begin(), v.end(), from, [](const sample& x, std::int64_t t) { return x.ts < t; });
            const auto hi = std::upper_bound(v.begin(), v.end(), to, [](std::int64_t t, const sample& x) { return t < x.ts; });
            v.erase(lo, hi);
            after = v.size();
        });
        size_ -= before - after;
        return before - after;
    }
    void refresh_last_after_erase() noexcept {
        if (size_ == 0) {
            last_ = sample{};
        } else {
            refresh_last();
        }
    }

    std::size_t erase_and_recompact(std::int64_t from, std::int64_t to) {
        const std::optional<std::int64_t> old_last = size_ == 0 ? std::nullopt : std::optional<std::int64_t>(last_.ts);
        const std::size_t removed = erase_range(from, to);
        if (removed != 0) {
            for (const rule& r : rules_) recompact_after_delete(r, from, to, old_last);
        }
        return removed;
    }

    void check_delete_keeps_compactions(std::int64_t from) const {
        if (rules_.empty() || options_.retention_ms <= 0 || size_ == 0 || last_.ts <= options_.retention_ms) return;
        const std::int64_t cut = last_.ts - options_.retention_ms;
        bool obsolete = from < cut;
        for (const rule& r : rules_) {
            if (detail::ts::normalized_start(detail::ts::bucket_start(from, r.bucket_duration, r.align)) < cut) {
                obsolete = true;
            }
        }
        if (obsolete) detail::ts::fail(detail::ts::message::delete_beyond_retention);
    }

    // ---- compaction rules ----

    // The bucket holding the newest sample is open: it has no destination sample yet.
    std::optional<std::int64_t> open_bucket(const rule& r) const {
        if (size_ == 0) return std::nullopt;
        return detail::ts::bucket_start(last_.ts, r.bucket_duration, r.align);
    }
    void close_buckets_after_append(const rule& r, std::optional<std::int64_t> previous_last, std::int64_t ts) {
        if (!previous_last) return;
        const std::int64_t closed = detail::ts::bucket_start(*previous_last, r.bucket_duration, r.align);
        if (detail::ts::bucket_start(ts, r.bucket_duration, r.align) > closed) refresh_compaction(r, closed);
    }
    // Writes (or removes, when empty) the destination sample of the closed bucket `start`.
    void refresh_compaction(const rule& r, std::int64_t start) {
        const std::int64_t key = detail::ts::normalized_start(start);
        reader in;
        const std::optional<double> value = bucket_value(in, r.type, start, r.bucket_duration, 0,
                                                         detail::ts::max_timestamp, no_filter());
        if (value) {
            r.dest->write_compaction(key, *value);
        } else {
            r.dest->erase_range(key, key);
        }
    }
    void write_compaction(std::int64_t key, double value) {
        try {
            write(key, value, duplicate_policy::last);
        } catch (const bptree::error&) {
            // Best effort, as in RedisTimeSeries: e.g. a bucket older than the dest's retention.
        }
    }
    // After an upsert at ts: recompute its bucket when that bucket is closed.
    void recompact_bucket_of(const rule& r, std::int64_t ts) {
        const std::int64_t b = detail::ts::bucket_start(ts, r.bucket_duration, r.align);
        const std::optional<std::int64_t> open = open_bucket(r);
        if (!open || b < *open) refresh_compaction(r, b);
    }
    // After a delete of [from, to]: the edge buckets are recomputed (or lose their destination
    // sample when empty), the whole buckets between them lose theirs, and a closed bucket that
    // became the open one (the newest samples went) loses its sample too.
    void recompact_after_delete(const rule& r, std::int64_t from, std::int64_t to, std::optional<std::int64_t> old_last) {
        const std::int64_t d = r.bucket_duration;
        const std::int64_t first = detail::ts::bucket_start(from, d, r.align);
        const std::int64_t last = detail::ts::bucket_start(std::min(to, old_last.value_or(to)), d, r.align);
        const std::optional<std::int64_t> open = open_bucket(r);
        const auto erase_dest = [&](std::int64_t b) {
            const std::int64_t key = detail::ts::normalized_start(b);
            r.dest->erase_range(key, key);
        };
        const auto settle = [&](std::int64_t b) {
            if (open && b == *open) {
                erase_dest(b);
            } else {
                refresh_compaction(r, b);  // a bucket after the open one is empty: its sample goes
            }
        };
        if (first <= last) {
            settle(first);
            if (last > first) settle(last);
            // Counted unsigned: last - first can exceed INT64_MAX (first < 0 before ALIGN, last near
            // INT64_MAX), and 2 * d can too. With a bucket strictly between the two, first + d and
            // last - d lie in [first, last], so neither overflows.
            if (detail::ts::bucket_steps(first, last, d) >= 2) {
                r.dest->erase_range(detail::ts::normalized_start(first + d), detail::ts::normalized_start(last - d));
            }
        }
        const std::optional<std::int64_t> old_open =
            old_last ? std::optional<std::int64_t>(detail::ts::bucket_start(*old_last, d, r.align)) : std::nullopt;
        if (open && open != old_open && (*open < first || *open > last)) erase_dest(*open);
    }

    void unlink_all() noexcept {
        for (rule& r : rules_) {
            r.dest->source_ = nullptr;
            r.dest->source_name_.clear();
        }
        rules_.clear();
        if (source_ != nullptr) {
            auto& siblings = source_->rules_;
            siblings.erase(std::remove_if(siblings.begin(), siblings.end(), [&](const rule& r) { return r.dest == this; }),
                           siblings.end());
            source_ = nullptr;
        }
    }
    // After a move from `old`: point the rules' destinations and our source's rule at this.
    void relink_from(time_series* old) noexcept {
        for (rule& r : rules_) r.dest->source_ = this;
        if (source_ != nullptr) {
            for (rule& r : source_->rules_) {
                if (r.dest == old) r.dest = this;
            }
        }
    }

    // ---- reading engine ----

    // Calls f(sample) for the stored samples in [from, to] (no retention clamp) in timestamp
    // order, or reverse order; f returns false to stop. Chunks the filter rules out are skipped.
    template <class F>
    void scan(reader& in, std::int64_t from, std::int64_t to, bool reverse, const sample_filter& filter, F&& f) const {
        if (from > to || index_.empty()) return;
        const auto visit = [&](const chunk& c) {
            if (!filter.may_accept(c.stats())) return true;
            const std::vector<sample>& all = in.samples(c);
            const auto lo = std::lower_bound(all.begin(), all.end(), from, [](const sample& x, std::int64_t t) { return x.ts < t; });
            const auto hi = std::upper_bound(all.begin(), all.end(), to, [](std::int64_t t, const sample& x) { return t < x.ts; });
            if (!reverse) {
                for (auto it = lo; it != hi; ++it) {
                    if (filter.accepts(*it) && !f(*it)) return false;
                }
            } else {
                for (auto it = hi; it != lo;) {
                    --it;
                    if (filter.accepts(*it) && !f(*it)) return false;
                }
            }
            return true;
        };
        if (!reverse) {
            for (auto it = chunk_for(*this, from); it != index_.end() && it->first <= to; ++it) {
                if (it->second.last_ts() >= from && !visit(it->second)) return;
            }
        } else {
            auto it = chunk_for(*this, to);
            while (true) {
                if (it->second.last_ts() < from) return;
                if (it->first <= to && !visit(it->second)) return;
                if (it == index_.begin()) return;
                --it;
            }
        }
    }
    std::optional<sample> find_first(reader& in, std::int64_t from, std::int64_t to, const sample_filter& filter,
                                     bool reverse) const {
        std::optional<sample> found;
        scan(in, from, to, reverse, filter, [&](const sample& s) {
            found = s;
            return false;
        });
        return found;
    }
    // Up to `count` visible samples before ts (nearest first) or from ts on (nearest first).
    std::vector<sample> neighbours(reader& in, std::int64_t ts, bool before, std::size_t count) const {
        std::vector<sample> out;
        const auto take = [&](const sample& s) {
            out.push_back(s);
            return out.size() < count;
        };
        if (before) {
            if (ts > cutoff()) scan(in, cutoff(), ts - 1, true, no_filter(), take);
        } else {
            scan(in, std::max(ts, cutoff()), detail::ts::max_timestamp, false, no_filter(), take);
        }
        return out;
    }

    // Folds the accepted samples in [from, to] into a summary, whole chunks through their
    // summaries when nothing is filtered.
    summary fold(reader& in, std::int64_t from, std::int64_t to, const sample_filter& filter) const {
        summary acc;
        if (filter.none()) {
            for (auto it = chunk_for(*this, from); it != index_.end() && it->first <= to; ++it) {
                const chunk& c = it->second;
                if (c.last_ts() < from) continue;
                if (c.first_ts() >= from && c.last_ts() <= to) {
                    acc.merge(c.stats());
                } else {
                    scan(in, std::max(from, c.first_ts()), std::min(to, c.last_ts()), false, filter, [&](const sample& s) {
                        acc.add(s);
                        return true;
                    });
                }
            }
            return acc;
        }
        scan(in, from, to, false, filter, [&](const sample& s) {
            acc.add(s);
            return true;
        });
        return acc;
    }

    // The value of bucket [start, start + d) clipped to [from, to], or nullopt when no sample is
    // accepted there. twa also looks at the accepted samples around the bucket, else the
    // series' samples around it.
    std::optional<double> bucket_value(reader& in, aggregator type, std::int64_t start, std::int64_t d,
                                       std::int64_t from, std::int64_t to, const sample_filter& filter) const {
        const std::int64_t lo = std::max(std::max<std::int64_t>(start, 0), std::max(from, cutoff()));
        const std::int64_t hi = std::min(to, detail::ts::add_saturated(start, d - 1));
        if (lo > hi) return std::nullopt;
        if (type == aggregator::twa) {
            std::vector<sample> inside;
            scan(in, lo, hi, false, filter, [&](const sample& s) {
                inside.push_back(s);
                return true;
            });
            if (inside.empty()) return std::nullopt;
            std::optional<sample> prev = lo > std::max(from, cutoff()) ? find_first(in, std::max(from, cutoff()), lo - 1, filter, true) : std::nullopt;
            if (!prev) {
                const auto around = neighbours(in, inside.front().ts, true, 1);
                if (!around.empty()) prev = around.front();
            }
            std::optional<sample> next = hi < to ? find_first(in, hi + 1, to, filter, false) : std::nullopt;
            if (!next && inside.back().ts < detail::ts::max_timestamp) {
                const auto around = neighbours(in, inside.back().ts + 1, false, 1);
                if (!around.empty()) next = around.front();
            }
            const std::int64_t ta = std::max(detail::ts::normalized_start(start), from);
            const std::int64_t tb = std::min(detail::ts::add_saturated(start, d), to);
            return detail::ts::time_weighted_average(inside, prev, next, ta, tb);
        }
        const summary s = fold(in, lo, hi, filter);
        if (s.count == 0) return std::nullopt;
        std::optional<double> overflow_avg;
        if (type == aggregator::avg && detail::ts::sum_overflowed(s)) {
            detail::ts::running_average avg;
            scan(in, lo, hi, false, filter, [&](const sample& x) {
                avg.add(x.value);
                return true;
            });
            overflow_avg = avg.result();
        }
        return detail::ts::finalize(type, s, overflow_avg);
    }

    // The value reported for an empty bucket under EMPTY.
    double empty_value(reader& in, const ts_aggregation& agg, std::int64_t start, std::int64_t from,
                       std::int64_t to) const {
        if (agg.type != aggregator::twa) return detail::ts::empty_bucket_value(agg.type);
        const std::int64_t ta = std::max(detail::ts::normalized_start(start), from);
        const std::int64_t tb = std::min(detail::ts::add_saturated(start, agg.bucket_duration), to);
        const std::vector<sample> before = neighbours(in, ta, true, 2);
        const std::vector<sample> after = neighbours(in, ta, false, 2);
        const auto at = [](const std::vector<sample>& v, std::size_t i) {
            return i < v.size() ? std::optional<sample>(v[i]) : std::nullopt;
        };
        return detail::ts::twa_empty_bucket(at(before, 0), at(before, 1), at(after, 0), at(after, 1), ta, tb);
    }

    std::vector<ts_sample> query(std::int64_t from, std::int64_t to, const ts_range_options& options, bool reverse) const {
        std::vector<std::int64_t> wanted_ts;
        sample_filter filter;
        if (options.filter_by_ts) {
            wanted_ts = *options.filter_by_ts;
            std::sort(wanted_ts.begin(), wanted_ts.end());
            wanted_ts.erase(std::unique(wanted_ts.begin(), wanted_ts.end()), wanted_ts.end());
            filter.timestamps = &wanted_ts;
        }
        filter.values = options.filter_by_value;
        const std::size_t limit = options.count ? *options.count : std::numeric_limits<std::size_t>::max();
        std::vector<ts_sample> out;
        if (options.aggregation && options.aggregation->bucket_duration <= 0) {
            detail::ts::fail(detail::ts::message::bucket_not_positive);
        }
        from = std::max(from, cutoff());
        if (from > to || size_ == 0 || limit == 0) return out;
        reader in;
        if (!options.aggregation) {
            scan(in, from, to, reverse, filter, [&](const sample& s) {
                out.push_back(s);
                return out.size() < limit;
            });
            return out;
        }
        aggregate(in, *options.aggregation, from, to, filter, reverse, limit, out);
        return out;
    }

    // The one bucket iterator behind every aggregator: walks the non-empty buckets of [from, to]
    // in order (or reverse), each found from the next accepted sample, and under EMPTY fills the
    // buckets between them (twa also those between the series' first and last samples).
    void aggregate(reader& in, const ts_aggregation& agg, std::int64_t from, std::int64_t to,
                   const sample_filter& filter, bool reverse, std::size_t limit, std::vector<ts_sample>& out) const {
        const std::int64_t d = agg.bucket_duration;
        const auto start_of = [&](std::int64_t ts) { return detail::ts::bucket_start(ts, d, agg.align); };
        const auto emit = [&](std::int64_t start, double value) {
            out.push_back(ts_sample{detail::ts::reported_timestamp(agg.reported, start, d), value});
            return out.size() < limit;
        };
        // Under EMPTY, the buckets from bucket start lo to bucket start hi (each end included or
        // not), in query order. Bucket k is lo + k * d counted unsigned, so that no step overflows
        // when buckets start near either end of the int64 range.
        const auto emit_empty = [&](std::int64_t lo, bool with_lo, std::int64_t hi, bool with_hi) {
            if (!agg.empty || lo > hi) return true;
            const auto step = static_cast<std::uint64_t>(d);
            const std::uint64_t span = detail::ts::bucket_steps(lo, hi, d);
            const std::uint64_t first = with_lo ? 0 : 1;
            if (span + (with_hi ? 1 : 0) <= first) return true;  // no bucket strictly between
            const std::uint64_t last = with_hi ? span : span - 1;
            for (std::uint64_t i = 0; i <= last - first; ++i) {
                const std::uint64_t k = reverse ? last - i : first + i;
                const auto b = static_cast<std::int64_t>(static_cast<std::uint64_t>(lo) + k * step);
                if (!emit(b, empty_value(in, agg, b, from, to))) return false;
            }
            return true;
        };
        // twa under EMPTY also covers the buckets between the series' first and last samples.
        const bool twa_edges = agg.empty && agg.type == aggregator::twa;
        const std::int64_t edge_first = twa_edges ? start_of(std::max(from, first_timestamp())) : 0;
        const std::int64_t edge_last = twa_edges ? start_of(std::min(to, last_.ts)) : 0;

        std::optional<sample> next = find_first(in, from, to, filter, reverse);
        if (!next) {
            if (twa_edges) emit_empty(edge_first, true, edge_last, true);
            return;
        }
        if (twa_edges) {
            const std::int64_t b = start_of(next->ts);
            if (!(reverse ? emit_empty(b, false, edge_last, true) : emit_empty(edge_first, true, b, false))) return;
        }
        std::optional<std::int64_t> previous;
        while (next) {
            const std::int64_t b = start_of(next->ts);
            if (previous && !(reverse ? emit_empty(b, false, *previous, false) : emit_empty(*previous, false, b, false))) {
                return;
            }
            const std::optional<double> value = bucket_value(in, agg.type, b, d, from, to, filter);  // non-empty
            if (!emit(b, *value)) return;
            previous = b;
            if (!reverse) {  // b <= to - d: the next bucket starts within [from, to] (to >= 0: no overflow)
                next = b <= to - d ? find_first(in, b + d, to, filter, false) : std::nullopt;
            } else {
                next = b - 1 >= from ? find_first(in, from, b - 1, filter, true) : std::nullopt;
            }
        }
        if (twa_edges) {
            reverse ? emit_empty(edge_first, true, *previous, false) : emit_empty(*previous, false, edge_last, true);
        }
    }

    time_series_options options_;
    index_type index_;
    std::size_t size_ = 0;  // stored samples, dropped ones (S4) included
    sample last_{};         // the newest sample, valid when size_ != 0
    std::vector<rule> rules_;
    time_series* source_ = nullptr;  // the series whose rule feeds this one
    std::string source_name_;
};

template <class Index>
time_series_info time_series<Index>::info() const {
    time_series_info i;
    i.total_samples = size();
    i.memory_bytes = sizeof(*this) + allocated_bytes() + index_.size() * (3 * sizeof(void*) + sizeof(std::int64_t) + 8);
    for (const auto& [name, value] : options_.labels) i.memory_bytes += name.size() + value.size() + 2;
    i.first_ts = first_timestamp();
    i.last_ts = last_timestamp();
    i.retention_ms = options_.retention_ms;
    i.chunk_count = index_.size();
    i.chunk_size_bytes = options_.chunk_size_bytes;
    i.encoding = options_.encoding;
    i.policy = options_.policy;
    i.labels = options_.labels;
    if (source_ != nullptr) i.source_name = source_name_;
    for (const rule& r : rules_) i.rules.push_back(ts_rule_info{r.dest_name, r.bucket_duration, r.type, r.align});
    for (const auto& entry : index_) {
        const chunk& c = entry.second;
        i.chunks.push_back(ts_chunk_info{c.first_ts(), c.last_ts(), c.size(), c.data_bytes()});
    }
    return i;
}

template <class Index>
void time_series<Index>::verify() const {
    const auto fail = [](const std::string& what) {
        throw std::logic_error("bptree::time_series::verify: " + what);
    };
    std::size_t counted = 0;
    const chunk* previous = nullptr;
    const std::int64_t cut = cutoff();
    for (const auto& entry : index_) {
        const chunk& c = entry.second;
        c.check_invariants();
        if (entry.first != c.first_ts()) fail("S1 index key differs from the chunk's first timestamp");
        if (previous != nullptr && previous->last_ts() >= c.first_ts()) fail("S2 chunks overlap or are out of order");
        if (previous != nullptr && c.first_ts() < cut) fail("S4 dropped samples stored beyond the first chunk");
        counted += c.size();
        previous = &c;
    }
    if (counted != size_) fail("S3 size differs from the stored samples");
    if (size_ != 0 && !(last_ == std::prev(index_.end())->second.last())) fail("S3 cached last sample is stale");
    for (const rule& r : rules_) {
        if (r.dest == nullptr || r.dest->source_ != this) fail("S5 rule destination does not link back");
    }
    if (source_ != nullptr) {
        const bool linked = std::any_of(source_->rules_.begin(), source_->rules_.end(),
                                        [&](const rule& r) { return r.dest == this; });
        if (!linked) fail("S5 source has no rule to this series");
    }
}

}  // namespace BPTREE_ABI_NAMESPACE
}  // namespace bptree

#endif  // BPTREE_TIME_SERIES_HPP
