// Benchmark support: the key types, their generators, and the per-size key data every benchmark
// reads (built once per key type and size, outside any timed region).
//
// Key types
//   int64          std::int64_t, pseudo-random and distinct, in [0, 2^61).
//   score_member   std::pair<double, std::string>, ordered as a Redis sorted set orders it:
//                  score first, then member bytes. Scores are integers in [0, n/4], so about four
//                  members share each score and lookups compare strings, as in a leaderboard.
//                  Members are "user:" + 8 digits (13 bytes, inside libstdc++'s 15-byte small
//                  string buffer, so keys own no heap memory of their own).
//
// Fresh orders (TOOLCHAIN.md: the branch predictor learns repeated key orders at small sizes):
// probe streams hold 2^20 keys drawn at random, and each benchmark invocation starts at a random
// offset, so no benchmark replays a short sequence.
#ifndef BPTREE_BENCH_SUPPORT_KEYS_HPP
#define BPTREE_BENCH_SUPPORT_KEYS_HPP

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace bptree_bench {

using score_member = std::pair<double, std::string>;

// A bijection on [0, 2^61): distinct inputs give distinct, well-mixed outputs (xorshifts and
// multiplications by odd constants are invertible modulo 2^61).
inline std::uint64_t mix61(std::uint64_t x) noexcept {
    constexpr std::uint64_t mask = (std::uint64_t{1} << 61) - 1;
    x = (x + 0x1d8e4e27c47d124fULL) & mask;
    x ^= x >> 31;
    x = (x * 0x9e3779b97f4a7c15ULL) & mask;
    x ^= x >> 29;
    x = (x * 0xbf58476d1ce4e5b9ULL) & mask;
    x ^= x >> 32;
    return x;
}

// 64-bit finalizer (splitmix64) for checksums and seeds.
inline std::uint64_t mix64(std::uint64_t x) noexcept {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

// A uniformly chosen index below n (n > 0); the tiny modulo bias is irrelevant here.
inline std::size_t pick(std::mt19937_64& rng, std::size_t n) noexcept {
    return static_cast<std::size_t>(rng() % n);
}

template <class Key>
struct key_traits;

template <>
struct key_traits<std::int64_t> {
    static constexpr const char* name = "int64";
    // Key number i of a data set of n keys (i may exceed n: absent keys are numbered after).
    static std::int64_t make(std::uint64_t i, std::size_t /*n*/) { return static_cast<std::int64_t>(mix61(i)); }
    // Keys above every generated key, ascending in j, and below every key, descending in j.
    static std::int64_t above(std::size_t j) { return (std::int64_t{1} << 61) + static_cast<std::int64_t>(j); }
    static std::int64_t below(std::size_t j) { return -1 - static_cast<std::int64_t>(j); }
    // A cheap fingerprint of a key for checksums (identical for every container).
    static std::uint64_t fingerprint(std::int64_t k) noexcept { return static_cast<std::uint64_t>(k); }
};

template <>
struct key_traits<score_member> {
    static constexpr const char* name = "score_member";
    static score_member make(std::uint64_t i, std::size_t n) {
        const std::uint64_t scores = n / 4 + 1;
        return {static_cast<double>(mix61(i) % scores), member(i)};
    }
    static score_member above(std::size_t j) { return {1e15 + static_cast<double>(j), member(j)}; }
    static score_member below(std::size_t j) { return {-1.0 - static_cast<double>(j), member(j)}; }
    static std::uint64_t fingerprint(const score_member& k) noexcept {
        std::uint64_t bits = 0;
        std::memcpy(&bits, &k.first, sizeof bits);
        std::uint64_t tail = 0;
        const std::string& m = k.second;
        std::memcpy(&tail, m.data() + (m.size() >= 8 ? m.size() - 8 : 0), std::min<std::size_t>(8, m.size()));
        return bits * 0x9e3779b97f4a7c15ULL ^ tail;
    }

private:
    static std::string member(std::uint64_t i) {
        char buf[13] = {'u', 's', 'e', 'r', ':', '0', '0', '0', '0', '0', '0', '0', '0'};
        for (int d = 12; d >= 5 && i != 0; --d, i /= 10) buf[d] = static_cast<char>('0' + i % 10);
        return std::string(buf, sizeof buf);
    }
};

// Everything the container benchmarks of one key type and size read. Immutable once built.
template <class Key>
struct key_data {
    static constexpr std::size_t stream_length = std::size_t{1} << 20;
    static constexpr std::size_t edge_keys = 1024;  // keys above / below, for sequential inserts

    std::size_t n = 0;
    std::vector<Key> present;      // the n keys of the container, in random (build) order
    std::vector<Key> absent;       // n keys (at least 2^16, at most 2^20) never in the container,
                                   // random order, interleaved in value with the present keys
    std::vector<Key> hit_stream;   // keys drawn at random from `present`
    std::vector<Key> miss_stream;  // keys drawn at random from `absent`
    std::vector<std::uint32_t> index_stream;  // positions drawn at random from [0, n)
    std::vector<Key> above;        // ascending, all greater than any present or absent key
    std::vector<Key> below;        // descending, all less than any present or absent key
    std::vector<Key> sorted;       // `present`, sorted

    explicit key_data(std::size_t size) : n(size) {
        using kt = key_traits<Key>;
        const std::size_t absent_count = std::clamp<std::size_t>(n, std::size_t{1} << 16, std::size_t{1} << 20);
        present.reserve(n);
        for (std::size_t i = 0; i < n; ++i) present.push_back(kt::make(i, n));
        absent.reserve(absent_count);
        for (std::size_t i = 0; i < absent_count; ++i) absent.push_back(kt::make(n + i, n));
        std::mt19937_64 rng(0x5eed0000 + n);
        // Key numbers are already pseudo-random for int64, but not for the members of
        // score_member keys: shuffle so the build order is random for both.
        std::shuffle(present.begin(), present.end(), rng);
        std::shuffle(absent.begin(), absent.end(), rng);
        hit_stream.reserve(stream_length);
        miss_stream.reserve(stream_length);
        index_stream.reserve(stream_length);
        for (std::size_t i = 0; i < stream_length; ++i) {
            hit_stream.push_back(present[pick(rng, n)]);
            miss_stream.push_back(absent[pick(rng, absent.size())]);
            index_stream.push_back(static_cast<std::uint32_t>(pick(rng, n)));
        }
        for (std::size_t j = 0; j < edge_keys; ++j) {
            above.push_back(kt::above(j));
            below.push_back(kt::below(j));
        }
        sorted = present;
        std::sort(sorted.begin(), sorted.end());
    }
};

// The key data of one key type and size, shared by every fixture that uses it; the most recent
// size is cached (benchmarks run size by size, so each set is built once).
template <class Key>
std::shared_ptr<const key_data<Key>> key_data_for(std::size_t n) {
    static std::shared_ptr<const key_data<Key>> cached;
    if (!cached || cached->n != n) {
        cached.reset();  // free the previous size first
        cached = std::make_shared<const key_data<Key>>(n);
    }
    return cached;
}

}  // namespace bptree_bench

#endif  // BPTREE_BENCH_SUPPORT_KEYS_HPP
