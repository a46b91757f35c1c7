// File: bptree/detail/adaptors/ts_gorilla.hpp
// Layer: adaptor internals (time series). The Gorilla codec of a compressed chunk: timestamps as
// delta-of-delta, values XOR-ed with their predecessor (Pelkonen et al., "Gorilla: A Fast,
// Scalable, In-Memory Time Series Database", VLDB 2015, section 4.1), written into a bit stream of
// 64-bit words. RedisTimeSeries's ENCODING COMPRESSED is the same family of codec.
// Includes: standard headers only.
//
// Stream layout (bits, most significant first inside each word):
//
//   sample 0      64 bits timestamp, 64 bits value (raw IEEE-754 bits)
//   sample i > 0  timestamp: zigzag(dod) with dod = (t[i] - t[i-1]) - (t[i-1] - t[i-2])
//                   '0'                      dod == 0            (1 bit: regular data)
//                   '10'    + 7 bits         zigzag < 2^7
//                   '110'   + 9 bits         zigzag < 2^9
//                   '1110'  + 12 bits        zigzag < 2^12
//                   '11110' + 32 bits        zigzag < 2^32
//                   '11111' + 64 bits        anything else
//                 value: x = bits(v[i]) ^ bits(v[i-1])
//                   '0'                      x == 0              (1 bit: repeated value)
//                   '10' + meaningful bits   x fits the previous leading/trailing-zero window
//                   '11' + 5 bits leading zeros + 6 bits (length - 1) + length meaningful bits
//
// Appending is O(1) (the encoder keeps the previous timestamp, delta, value and window); any
// other edit decodes the chunk, edits the samples and encodes them again (O(chunk)), as
// RedisTimeSeries does for its compressed chunks.
#ifndef BPTREE_DETAIL_ADAPTORS_TS_GORILLA_HPP
#define BPTREE_DETAIL_ADAPTORS_TS_GORILLA_HPP

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "bptree/detail/config.hpp"

namespace bptree {
inline namespace BPTREE_ABI_NAMESPACE {
namespace detail::ts {

// One sample of a series: a millisecond timestamp and a double.
struct sample {
    std::int64_t ts = 0;
    double value = 0;

    friend bool operator==(const sample& a, const sample& b) noexcept {
        // Bitwise on the value, so that a NaN sample compares equal to itself in tests.
        return a.ts == b.ts && std::memcmp(&a.value, &b.value, sizeof(double)) == 0;
    }
    friend bool operator!=(const sample& a, const sample& b) noexcept { return !(a == b); }
};

inline std::uint64_t double_bits(double v) noexcept {
    std::uint64_t u;
    std::memcpy(&u, &v, sizeof u);
    return u;
}
inline double bits_double(std::uint64_t u) noexcept {
    double v;
    std::memcpy(&v, &u, sizeof v);
    return v;
}
inline std::uint64_t zigzag(std::int64_t v) noexcept {
    return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}
inline std::int64_t unzigzag(std::uint64_t v) noexcept {
    return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
}
inline int leading_zeros(std::uint64_t x) noexcept { return x == 0 ? 64 : __builtin_clzll(x); }
inline int trailing_zeros(std::uint64_t x) noexcept { return x == 0 ? 64 : __builtin_ctzll(x); }

// An append-only bit stream over 64-bit words.
class bit_writer {
public:
    void write(std::uint64_t value, int bits) {
        // Requires: 0 < bits <= 64 and value < 2^bits.
        const int used = static_cast<int>(size_bits_ % 64);
        if (used == 0) words_.push_back(0);
        const int room = 64 - used;
        if (bits <= room) {
            words_.back() |= value << (room - bits);
        } else {
            words_.back() |= value >> (bits - room);
            words_.push_back(value << (64 - (bits - room)));
        }
        size_bits_ += static_cast<std::size_t>(bits);
    }
    void write_bit(bool bit) { write(bit ? 1u : 0u, 1); }

    std::size_t size_bits() const noexcept { return size_bits_; }
    std::size_t size_bytes() const noexcept { return (size_bits_ + 7) / 8; }
    std::size_t allocated_bytes() const noexcept { return words_.capacity() * sizeof(std::uint64_t); }
    const std::vector<std::uint64_t>& words() const noexcept { return words_; }
    void reserve_bytes(std::size_t bytes) { words_.reserve((bytes + 7) / 8); }
    // Makes room for `bits` more bits, so that writing them cannot throw. The capacity at least
    // doubles when it grows (amortized O(1), as push_back).
    void make_room(std::size_t bits) {
        const std::size_t words = (size_bits_ + bits + 63) / 64;
        if (words > words_.capacity()) words_.reserve(std::max(words, 2 * words_.capacity()));
    }
    void clear() noexcept {
        words_.clear();
        size_bits_ = 0;
    }

private:
    std::vector<std::uint64_t> words_;
    std::size_t size_bits_ = 0;
};

class bit_reader {
public:
    explicit bit_reader(const std::vector<std::uint64_t>& words) noexcept : words_(words.data()) {}

    std::uint64_t read(int bits) noexcept {
        // Requires: 0 < bits <= 64 and the stream holds them.
        const std::size_t word = pos_ / 64;
        const int used = static_cast<int>(pos_ % 64);
        const int room = 64 - used;
        std::uint64_t out;
        if (bits <= room) {
            out = (words_[word] << used) >> (64 - bits);
        } else {
            const int rest = bits - room;
            out = ((words_[word] << used) >> used) << rest | (words_[word + 1] >> (64 - rest));
        }
        pos_ += static_cast<std::size_t>(bits);
        return out;
    }
    bool read_bit() noexcept { return read(1) != 0; }

private:
    const std::uint64_t* words_;
    std::size_t pos_ = 0;
};

// Encoder state plus its bit stream: everything a compressed chunk stores.
class gorilla_stream {
public:
    std::size_t count() const noexcept { return count_; }
    std::size_t size_bytes() const noexcept { return bits_.size_bytes(); }
    std::size_t allocated_bytes() const noexcept { return bits_.allocated_bytes(); }
    void reserve_bytes(std::size_t bytes) { bits_.reserve_bytes(bytes); }

    // The most bits one sample takes: '11111' + a 64-bit timestamp, '11' + 5 + 6 + 64 value bits.
    static constexpr std::size_t max_sample_bits = 5 + 64 + 2 + 5 + 6 + 64;

    // Requires: count() == 0 or s.ts > the last appended timestamp. Strong guarantee: the room is
    // made first, so a sample is never half written.
    void append(const sample& s) {
        bits_.make_room(max_sample_bits);
        const std::uint64_t value_bits = double_bits(s.value);
        if (count_ == 0) {
            bits_.write(static_cast<std::uint64_t>(s.ts), 64);
            bits_.write(value_bits, 64);
        } else {
            const std::int64_t delta = s.ts - last_ts_;
            write_timestamp(zigzag(delta - last_delta_));
            write_value(value_bits ^ last_value_bits_);
            last_delta_ = delta;
        }
        last_ts_ = s.ts;
        last_value_bits_ = value_bits;
        ++count_;
    }

    // Calls f(sample) for every sample in order. O(count).
    template <class F>
    void for_each(F&& f) const {
        if (count_ == 0) return;
        bit_reader in(bits_.words());
        std::int64_t ts = static_cast<std::int64_t>(in.read(64));
        std::uint64_t value = in.read(64);
        f(sample{ts, bits_double(value)});
        std::int64_t delta = 0;
        window w;
        for (std::size_t i = 1; i < count_; ++i) {
            delta += unzigzag(read_timestamp(in));
            ts += delta;
            value ^= read_value(in, w);
            f(sample{ts, bits_double(value)});
        }
    }

    void decode_into(std::vector<sample>& out) const {
        out.clear();
        out.reserve(count_);
        for_each([&](const sample& s) { out.push_back(s); });
    }

    // Re-encodes [first, last), keeping the allocated words.
    void assign(const sample* first, const sample* last) {
        bits_.clear();
        count_ = 0;
        last_ts_ = 0;
        last_delta_ = 0;
        last_value_bits_ = 0;
        window_ = window{};
        for (; first != last; ++first) append(*first);
    }

private:
    // The leading/trailing-zero window of the last value written with an explicit window.
    struct window {
        int leading = -1;  // -1: no window yet
        int trailing = 0;
    };

    void write_timestamp(std::uint64_t zz) {
        if (zz == 0) {
            bits_.write(0b0, 1);
        } else if (zz < (1u << 7)) {
            bits_.write(0b10, 2);
            bits_.write(zz, 7);
        } else if (zz < (1u << 9)) {
            bits_.write(0b110, 3);
            bits_.write(zz, 9);
        } else if (zz < (1u << 12)) {
            bits_.write(0b1110, 4);
            bits_.write(zz, 12);
        } else if (zz < (std::uint64_t{1} << 32)) {
            bits_.write(0b11110, 5);
            bits_.write(zz, 32);
        } else {
            bits_.write(0b11111, 5);
            bits_.write(zz, 64);
        }
    }
    static std::uint64_t read_timestamp(bit_reader& in) noexcept {
        if (!in.read_bit()) return 0;
        if (!in.read_bit()) return in.read(7);
        if (!in.read_bit()) return in.read(9);
        if (!in.read_bit()) return in.read(12);
        if (!in.read_bit()) return in.read(32);
        return in.read(64);
    }

    void write_value(std::uint64_t x) {
        if (x == 0) {
            bits_.write(0b0, 1);
            return;
        }
        int leading = leading_zeros(x);
        const int trailing = trailing_zeros(x);
        if (leading > 31) leading = 31;  // 5 bits
        if (window_.leading >= 0 && leading >= window_.leading && trailing >= window_.trailing) {
            const int length = 64 - window_.leading - window_.trailing;
            bits_.write(0b10, 2);
            bits_.write(x >> window_.trailing, length);
            return;
        }
        const int length = 64 - leading - trailing;
        bits_.write(0b11, 2);
        bits_.write(static_cast<std::uint64_t>(leading), 5);
        bits_.write(static_cast<std::uint64_t>(length - 1), 6);
        bits_.write(x >> trailing, length);
        window_ = window{leading, trailing};
    }
    static std::uint64_t read_value(bit_reader& in, window& w) noexcept {
        if (!in.read_bit()) return 0;
        if (!in.read_bit()) {
            const int length = 64 - w.leading - w.trailing;
            return in.read(length) << w.trailing;
        }
        w.leading = static_cast<int>(in.read(5));
        const int length = static_cast<int>(in.read(6)) + 1;
        w.trailing = 64 - w.leading - length;
        return in.read(length) << w.trailing;
    }

    bit_writer bits_;
    std::size_t count_ = 0;
    std::int64_t last_ts_ = 0;
    std::int64_t last_delta_ = 0;
    std::uint64_t last_value_bits_ = 0;
    window window_;
};

}  // namespace detail::ts
}  // namespace BPTREE_ABI_NAMESPACE
}  // namespace bptree

#endif  // BPTREE_DETAIL_ADAPTORS_TS_GORILLA_HPP
