// File: bptree/detail/adaptors/ts_chunk.hpp
// Layer: adaptor internals (time series). A chunk: the samples of one time window, sorted by
// timestamp, stored plain (an array of 16-byte samples) or compressed (a Gorilla bit stream, see
// ts_gorilla.hpp), with a summary (count, sum, sum of squares, min, max, first, last) that lets a
// query use a whole chunk without reading its samples.
// Includes: ts_gorilla.hpp and standard headers.
//
// Invariants (checked by check_invariants(), labels used in its messages):
//   C1 timestamps strictly increase inside a chunk; a chunk held by a series is never empty.
//   C2 summary() equals a recount of the samples (count, first, last, min, max exactly; sum and
//      sum of squares are the in-order left fold, so they are exact too).
//   C3 a plain chunk stores its samples in plain_; a compressed one in packed_ (plain_ empty).
//
// Capacity: chunk_bytes is RedisTimeSeries's CHUNK_SIZE, the data bytes of one chunk. A plain
// chunk is full at chunk_bytes / 16 samples; a compressed chunk is full once its bit stream
// reaches chunk_bytes. A full chunk takes no appends (the series opens a new one); a sample that
// belongs inside a full chunk splits it in two halves first.
//
// Exception safety: edits build a new chunk aside (edited(), halves()) and leave this one
// unchanged, so a throw changes nothing; the series commits the result with a noexcept move.
//
// Complexity: append O(1); every other edit O(chunk) (a copy and shift, or decode + re-encode).
#ifndef BPTREE_DETAIL_ADAPTORS_TS_CHUNK_HPP
#define BPTREE_DETAIL_ADAPTORS_TS_CHUNK_HPP

#include <algorithm>
#include <cfloat>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "bptree/detail/adaptors/ts_gorilla.hpp"
#include "bptree/detail/config.hpp"

namespace bptree {
inline namespace BPTREE_ABI_NAMESPACE {

// How a series stores its chunks (RedisTimeSeries's ENCODING COMPRESSED | UNCOMPRESSED).
enum class ts_encoding { compressed, uncompressed };

}  // namespace BPTREE_ABI_NAMESPACE
}  // namespace bptree

namespace bptree {
inline namespace BPTREE_ABI_NAMESPACE {
namespace detail::ts {

using chunk_encoding = bptree::ts_encoding;

// A fold of samples taken in timestamp order. min/max follow RedisTimeSeries's aggregators: a
// NaN never compares smaller or greater, so it is skipped, and a fold of NaNs only keeps the
// sentinels (DBL_MAX, -DBL_MAX).
struct summary {
    std::size_t count = 0;
    double sum = 0;
    double sum_squares = 0;
    double min = DBL_MAX;
    double max = -DBL_MAX;
    sample first{};
    sample last{};

    void add(const sample& s) noexcept {
        if (count == 0) first = s;
        last = s;
        ++count;
        sum += s.value;
        sum_squares += s.value * s.value;
        if (s.value < min) min = s.value;
        if (s.value > max) max = s.value;
    }
    // Appends a fold of later samples (all of `later` come after all of *this).
    void merge(const summary& later) noexcept {
        if (later.count == 0) return;
        if (count == 0) first = later.first;
        last = later.last;
        count += later.count;
        sum += later.sum;
        sum_squares += later.sum_squares;
        if (later.min < min) min = later.min;
        if (later.max > max) max = later.max;
    }
};

class chunk {
public:
    chunk(chunk_encoding encoding, std::size_t chunk_bytes) : encoding_(encoding) {
        if (encoding_ == chunk_encoding::uncompressed) {
            plain_.reserve(std::max<std::size_t>(1, chunk_bytes / sizeof(sample)));
        } else {
            // The append that fills a chunk may run past chunk_bytes by one sample (at most
            // 2 + 5 + 6 + 64 + 5 + 64 bits): reserve for it so a full chunk never reallocates.
            packed_.reserve_bytes(chunk_bytes + 24);
        }
    }

    chunk_encoding encoding() const noexcept { return encoding_; }
    std::size_t size() const noexcept { return summary_.count; }
    bool empty() const noexcept { return summary_.count == 0; }
    std::int64_t first_ts() const noexcept { return summary_.first.ts; }
    std::int64_t last_ts() const noexcept { return summary_.last.ts; }
    const sample& last() const noexcept { return summary_.last; }
    const summary& stats() const noexcept { return summary_; }

    // Bytes of sample data (16 per plain sample; the bit stream of a compressed chunk).
    std::size_t data_bytes() const noexcept {
        return encoding_ == chunk_encoding::uncompressed ? plain_.size() * sizeof(sample) : packed_.size_bytes();
    }
    // Bytes allocated for the chunk, its object included.
    std::size_t allocated_bytes() const noexcept {
        return sizeof(chunk) + (encoding_ == chunk_encoding::uncompressed ? plain_.capacity() * sizeof(sample)
                                                                          : packed_.allocated_bytes());
    }
    bool is_full(std::size_t chunk_bytes) const noexcept {
        return encoding_ == chunk_encoding::uncompressed ? plain_.size() >= std::max<std::size_t>(1, chunk_bytes / sizeof(sample))
                                                         : packed_.size_bytes() >= chunk_bytes;
    }

    // The samples in timestamp order: the chunk's own array when plain, else decoded into scratch.
    const std::vector<sample>& samples(std::vector<sample>& scratch) const {
        if (encoding_ == chunk_encoding::uncompressed) return plain_;
        packed_.decode_into(scratch);
        return scratch;
    }

    // Requires: empty() or s.ts > last_ts(). O(1).
    void append(const sample& s) {
        if (encoding_ == chunk_encoding::uncompressed) {
            plain_.push_back(s);
        } else {
            packed_.append(s);
        }
        summary_.add(s);
    }

    // The chunk that edit(std::vector<sample>&) makes of this one's samples, re-encoded and
    // re-summarized, with this one's reserved capacity. edit must keep the samples sorted and
    // unique. *this is unchanged: a throw (in the copy, the edit or the encoding) changes nothing.
    template <class Edit>
    chunk edited(Edit&& edit_samples) const {
        std::vector<sample> work;
        if (encoding_ == chunk_encoding::uncompressed) {
            work.reserve(plain_.capacity());  // appends into the result still do not reallocate
            work.assign(plain_.begin(), plain_.end());
        } else {
            packed_.decode_into(work);
        }
        edit_samples(work);
        return from_samples(std::move(work));
    }

    // The lower and upper halves of the samples as two chunks, the upper one with a fresh
    // reservation of chunk_bytes. *this is unchanged. Requires: size() >= 2.
    std::pair<chunk, chunk> halves(std::size_t chunk_bytes) const {
        std::vector<sample> scratch;
        const std::vector<sample>& all = samples(scratch);
        const std::size_t half = all.size() / 2;
        chunk upper(encoding_, chunk_bytes);
        for (std::size_t i = half; i < all.size(); ++i) upper.append(all[i]);
        chunk lower = edited([&](std::vector<sample>& v) { v.resize(half); });
        return {std::move(lower), std::move(upper)};
    }

    static summary summarize(const sample* first, const sample* last) noexcept {
        summary s;
        for (; first != last; ++first) s.add(*first);
        return s;
    }

    // Throws std::logic_error("bptree::time_series::verify: C<n> ...") on a broken invariant.
    void check_invariants() const {
        std::vector<sample> scratch;
        const std::vector<sample>& all = samples(scratch);
        if (all.empty()) fail("C1 empty chunk");
        for (std::size_t i = 1; i < all.size(); ++i) {
            if (all[i - 1].ts >= all[i].ts) fail("C1 timestamps not strictly increasing");
        }
        const summary recount = summarize(all.data(), all.data() + all.size());
        if (recount.count != summary_.count || recount.first != summary_.first || recount.last != summary_.last ||
            double_bits(recount.min) != double_bits(summary_.min) ||
            double_bits(recount.max) != double_bits(summary_.max) ||
            double_bits(recount.sum) != double_bits(summary_.sum) ||
            double_bits(recount.sum_squares) != double_bits(summary_.sum_squares)) {
            fail("C2 summary differs from a recount");
        }
        if (encoding_ == chunk_encoding::compressed && !plain_.empty()) fail("C3 compressed chunk holds plain samples");
    }

private:
    // An empty chunk with no reservation (edited() sizes it from the chunk it copies).
    explicit chunk(chunk_encoding encoding) noexcept : encoding_(encoding) {}

    // A chunk of this encoding holding `all` (sorted, unique).
    chunk from_samples(std::vector<sample>&& all) const {
        chunk out(encoding_);
        out.summary_ = summarize(all.data(), all.data() + all.size());
        if (encoding_ == chunk_encoding::uncompressed) {
            out.plain_ = std::move(all);
        } else {
            out.packed_.reserve_bytes(packed_.allocated_bytes());
            out.packed_.assign(all.data(), all.data() + all.size());
        }
        return out;
    }

    [[noreturn]] static void fail(const char* what) {
        throw std::logic_error(std::string("bptree::time_series::verify: ") + what);
    }

    chunk_encoding encoding_;
    std::vector<sample> plain_;  // uncompressed chunks
    gorilla_stream packed_;      // compressed chunks
    summary summary_;
};

// Reads chunks for one query: a compressed chunk is decoded once and kept while the query stays
// in it (a query walks chunks in order, so buckets smaller than a chunk do not decode it again).
// Valid while the chunks it has seen are unchanged.
class chunk_reader {
public:
    const std::vector<sample>& samples(const chunk& c) {
        if (c.encoding() == chunk_encoding::uncompressed) return c.samples(decoded_);
        if (&c != cached_) {
            c.samples(decoded_);
            cached_ = &c;
        }
        return decoded_;
    }

private:
    const chunk* cached_ = nullptr;
    std::vector<sample> decoded_;
};

}  // namespace detail::ts
}  // namespace BPTREE_ABI_NAMESPACE
}  // namespace bptree

#endif  // BPTREE_DETAIL_ADAPTORS_TS_CHUNK_HPP
