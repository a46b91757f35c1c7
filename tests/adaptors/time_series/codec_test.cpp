// The Gorilla codec (bit stream, timestamp and value encodings) and chunk edits, plus the
// bytes-per-sample measurement reported in docs/time_series.md ("[.bytes]", hidden: it prints).
#include <catch2/catch.hpp>

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <random>
#include <utility>
#include <vector>

#include "bptree/detail/adaptors/ts_chunk.hpp"
#include "bptree/detail/adaptors/ts_gorilla.hpp"
#include "bptree/time_series.hpp"
#include "support/test_seed.hpp"

using bptree::detail::ts::chunk;
using bptree::detail::ts::gorilla_stream;
using bptree::detail::ts::sample;

namespace {

std::vector<sample> round_trip(const std::vector<sample>& in) {
    gorilla_stream g;
    g.assign(in.data(), in.data() + in.size());
    std::vector<sample> out;
    g.decode_into(out);
    return out;
}

}  // namespace

TEST_CASE("bit streams read back what was written across word boundaries", "[time_series][codec]") {
    std::mt19937_64 rng(bptree_test::test_seed(5));
    bptree::detail::ts::bit_writer w;
    std::vector<std::pair<std::uint64_t, int>> written;
    for (int i = 0; i < 2000; ++i) {
        const int bits = 1 + static_cast<int>(rng() % 64);
        const std::uint64_t value = bits == 64 ? rng() : rng() & ((std::uint64_t{1} << bits) - 1);
        w.write(value, bits);
        written.emplace_back(value, bits);
    }
    bptree::detail::ts::bit_reader r(w.words());
    for (const auto& [value, bits] : written) REQUIRE(r.read(bits) == value);
}

TEST_CASE("the Gorilla stream round-trips every kind of timestamp gap and value", "[time_series][codec]") {
    std::vector<sample> s;
    const double specials[] = {0.0, -0.0, 1.0, -1.0, DBL_MAX, -DBL_MAX, DBL_MIN, 4.9e-324,
                               std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
                               std::numeric_limits<double>::quiet_NaN(), 0.1, 1e300, 123456.789};
    std::int64_t t = 0;
    const std::int64_t gaps[] = {0, 1, 1, 1, 64, 65, 256, 257, 2048, 2049, 1 << 20, std::int64_t{1} << 40, 3, 1};
    for (std::size_t i = 0; i < std::size(specials); ++i) {
        t += gaps[i] + 1;
        s.push_back({t, specials[i]});
    }
    s.push_back({std::numeric_limits<std::int64_t>::max() - 1, 2.5});  // the largest jump
    REQUIRE(round_trip(s) == s);  // bitwise on values: NaN and -0.0 survive

    std::mt19937_64 rng(bptree_test::test_seed(6));
    std::vector<sample> random;
    std::int64_t ts = 1'600'000'000'000;
    double v = 20;
    for (int i = 0; i < 5000; ++i) {
        ts += 1 + static_cast<std::int64_t>(rng() % 3000);
        v = rng() % 4 == 0 ? v : static_cast<double>(rng() % 100000) / 100.0;
        random.push_back({ts, v});
    }
    REQUIRE(round_trip(random) == random);
}

TEST_CASE("chunk edits keep samples, summary and encoding consistent", "[time_series][codec]") {
    const auto encoding = GENERATE(bptree::ts_encoding::compressed, bptree::ts_encoding::uncompressed);
    chunk c(encoding, 256);
    for (std::int64_t t = 0; t < 16; ++t) c.append({t * 10, static_cast<double>(t)});
    REQUIRE(c.is_full(256) == (encoding == bptree::ts_encoding::uncompressed));
    c.check_invariants();
    // Edits build a new chunk and leave the edited one as it was.
    const chunk before = c;
    c = c.edited([](std::vector<sample>& v) { v.insert(v.begin() + 3, sample{25, -5}); });
    c.check_invariants();
    REQUIRE(c.stats().min == -5);
    REQUIRE(c.size() == 17);
    REQUIRE(before.size() == 16);
    REQUIRE(c.allocated_bytes() >= before.allocated_bytes());  // the reservation is kept
    auto [lower, upper] = c.halves(256);
    c.check_invariants();
    REQUIRE(c.size() == 17);
    lower.check_invariants();
    upper.check_invariants();
    REQUIRE(lower.size() + upper.size() == 17);
    REQUIRE(lower.last_ts() < upper.first_ts());
    REQUIRE(lower.stats().sum + upper.stats().sum == 120 - 5);
}

TEST_CASE("compressed chunks are smaller than plain ones on regular data", "[time_series][codec]") {
    bptree::time_series_options plain, packed;
    plain.encoding = bptree::ts_encoding::uncompressed;
    bptree::time_series<> a(plain), b(packed);
    for (std::int64_t i = 0; i < 10000; ++i) {
        a.add(i * 1000, static_cast<double>(i % 10));
        b.add(i * 1000, static_cast<double>(i % 10));
    }
    REQUIRE(a.data_bytes() == 16 * 10000);
    REQUIRE(b.data_bytes() * 4 < a.data_bytes());
    REQUIRE(a.range(0, 1 << 30) == b.range(0, 1 << 30));
}

// Prints the figures of docs/time_series.md: ./adaptors_time_series_cxx17 "[.bytes]" -s
TEST_CASE("bytes per sample of both chunk kinds on regular and irregular data", "[.bytes]") {
    std::mt19937_64 rng(bptree_test::test_seed(2023));
    const std::size_t n = 1'000'000;
    struct data_set {
        const char* name;
        std::vector<bptree::ts_sample> samples;
    };
    std::vector<data_set> sets(5);
    sets[0].name = "regular: 1 s interval, gauge with 1 decimal random walk";
    sets[1].name = "regular: 1 s interval, constant value";
    sets[2].name = "irregular: 1..5000 ms jittered, gauge with 1 decimal";
    sets[3].name = "irregular: random ms gaps, random doubles";
    sets[4].name = "regular: 1 s interval, integer counter (+0..10)";
    std::int64_t t0 = 1'700'000'000'000;
    double walk = 500, counter = 0;
    for (std::size_t i = 0; i < n; ++i) {
        walk += static_cast<double>(static_cast<int>(rng() % 21) - 10) / 10.0;
        const double gauge = std::round(walk * 10) / 10;
        sets[0].samples.push_back({t0 + static_cast<std::int64_t>(i) * 1000, gauge});
        sets[1].samples.push_back({t0 + static_cast<std::int64_t>(i) * 1000, 42});
        counter += static_cast<double>(rng() % 11);
        sets[4].samples.push_back({t0 + static_cast<std::int64_t>(i) * 1000, counter});
    }
    std::int64_t t = t0;
    for (std::size_t i = 0; i < n; ++i) {
        t += 1 + static_cast<std::int64_t>(rng() % 5000);
        sets[2].samples.push_back({t, sets[0].samples[i].value});
    }
    t = t0;
    std::uniform_real_distribution<double> any(-1e6, 1e6);
    for (std::size_t i = 0; i < n; ++i) {
        t += 1 + static_cast<std::int64_t>(rng() % 100000);
        sets[3].samples.push_back({t, any(rng)});
    }
    for (const data_set& d : sets) {
        for (const auto encoding : {bptree::ts_encoding::uncompressed, bptree::ts_encoding::compressed}) {
            bptree::time_series_options o;
            o.encoding = encoding;
            bptree::time_series<> s(o);
            for (const auto& x : d.samples) s.add(x.ts, x.value);
            std::printf("%-58s %-12s data %6.3f B/sample, allocated %6.3f B/sample, %zu chunks\n", d.name,
                        encoding == bptree::ts_encoding::compressed ? "compressed" : "uncompressed",
                        static_cast<double>(s.data_bytes()) / static_cast<double>(n),
                        static_cast<double>(s.allocated_bytes()) / static_cast<double>(n), s.chunk_count());
        }
    }
    SUCCEED();
}
