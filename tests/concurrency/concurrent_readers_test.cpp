// Const members are safe to call from many threads at once: no hidden mutable state (caches,
// lazily built indexes, shared scratch buffers) in the containers or the adaptors. Reader threads
// run every const member over one shared object while no thread writes, each computing a checksum
// that must equal the single-threaded one. Run under ThreadSanitizer
// (scripts/test-lanes/tsan.sh), a race on hidden state is reported even when the checksums agree.
// Copies of one stream made concurrently share field-name blocks by reference count; the last test
// copies and destroys them from several threads.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <iterator>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "bptree/map.hpp"
#include "bptree/set.hpp"
#include "bptree/sorted_set.hpp"
#include "bptree/stream.hpp"
#include "bptree/time_series.hpp"
#include "support/test_seed.hpp"

namespace {

constexpr int reader_threads = 4;

// Runs work(thread index) on reader_threads threads at once (started together) and returns the
// checksums they computed.
std::vector<std::uint64_t> in_parallel(const std::function<std::uint64_t(int)>& work) {
    std::vector<std::uint64_t> sums(reader_threads);
    std::vector<std::thread> threads;
    std::atomic<int> ready{0};
    for (int t = 0; t < reader_threads; ++t) {
        threads.emplace_back([&, t] {
            ++ready;
            while (ready.load() < reader_threads) std::this_thread::yield();
            sums[static_cast<std::size_t>(t)] = work(t);
        });
    }
    for (auto& th : threads) th.join();
    return sums;
}

std::uint64_t mix(std::uint64_t h, std::uint64_t v) { return (h ^ v) * 0x100000001b3ull + 0x9e3779b97f4a7c15ull; }

// Every const member of an ordered container (batched lookups included), over keys drawn from a per-thread engine
// seeded the same way in every thread (so every thread computes the same checksum).
template <class C, class MakeKey>
std::uint64_t read_container(const C& c, MakeKey make_key, std::uint64_t seed, int rounds) {
    std::mt19937_64 rng(seed);
    std::uint64_t h = 0;
    for (int r = 0; r < rounds; ++r) {
        const auto k = make_key(static_cast<int>(rng() % 5000));
        h = mix(h, c.count(k));
        h = mix(h, c.contains(k));
        h = mix(h, c.rank(k));
        h = mix(h, c.index_of(c.find(k)));
        h = mix(h, c.index_of(c.lower_bound(k)));
        h = mix(h, c.index_of(c.upper_bound(k)));
        const auto range = c.equal_range(k);
        h = mix(h, c.index_of(range.second) - c.index_of(range.first));
        const auto it = c.nth(static_cast<std::size_t>(rng() % (c.size() + 1)));
        h = mix(h, c.index_of(it));
        if (r % 16 == 0) {  // the batched lookups (const members over the engine's non-const path)
            std::vector<typename C::key_type> keys;
            for (int i = 0; i < 20; ++i) keys.push_back(make_key(static_cast<int>(rng() % 5000)));
            std::vector<typename C::const_iterator> found;
            c.find_many(keys.begin(), keys.end(), std::back_inserter(found));
            c.lower_bound_many(keys.begin(), keys.end(), std::back_inserter(found));
            for (const auto& f : found) h = mix(h, c.index_of(f));
            std::vector<std::size_t> ranks;
            c.rank_many(keys.begin(), keys.end(), std::back_inserter(ranks));
            for (std::size_t x : ranks) h = mix(h, x);
        }
        if (r % 64 == 0) {
            std::uint64_t n = 0;
            for (auto i = c.begin(); i != c.end(); ++i) ++n;
            for (auto i = c.rbegin(); i != c.rend(); ++i) ++n;
            h = mix(h, n);
            h = mix(h, c.stats().leaf_nodes);
            h = mix(h, c == c);
        }
        if (r % 256 == 0) c.verify();
    }
    return h;
}

}  // namespace

TEST_CASE("const members of the containers may run on many threads at once", "[concurrency]") {
    const std::uint64_t seed = bptree_test::test_seed(20240808);
    INFO("seed " << seed);
    bptree::set<std::int64_t, std::less<std::int64_t>, std::allocator<std::int64_t>, bptree::slot_traits<3, 4>> tiny;
    bptree::multiset<std::int64_t> multi;
    bptree::map<std::string, int> strings;
    std::mt19937_64 fill(seed);
    for (int i = 0; i < 4000; ++i) {
        const auto v = static_cast<std::int64_t>(fill() % 5000);
        tiny.insert(v);
        multi.insert(v % 700);
        strings.emplace("key-" + std::to_string(v), i);
    }
    const auto as_int = [](int v) { return static_cast<std::int64_t>(v); };
    const auto as_string = [](int v) { return "key-" + std::to_string(v); };
    const std::uint64_t expect_tiny = read_container(tiny, as_int, seed, 3000);
    const std::uint64_t expect_multi = read_container(multi, as_int, seed, 3000);
    const std::uint64_t expect_strings = read_container(strings, as_string, seed, 3000);
    const auto sums = in_parallel([&](int t) {
        // Each thread reads all three, starting with a different one.
        std::uint64_t h = 0;
        for (int i = 0; i < 3; ++i) {
            switch ((t + i) % 3) {
                case 0: h = mix(h, read_container(tiny, as_int, seed, 3000) == expect_tiny); break;
                case 1: h = mix(h, read_container(multi, as_int, seed, 3000) == expect_multi); break;
                default: h = mix(h, read_container(strings, as_string, seed, 3000) == expect_strings); break;
            }
        }
        return h;
    });
    const std::uint64_t all_equal = mix(mix(mix(0, 1), 1), 1);
    for (std::uint64_t s : sums) CHECK(s == all_equal);
}

TEST_CASE("const members of sorted_set may run on many threads at once", "[concurrency]") {
    bptree::sorted_set<std::string> z;
    for (int i = 0; i < 3000; ++i) z.add("member-" + std::to_string(i), static_cast<double>((i * 7919) % 1000));
    const auto read = [&](int t) {
        std::mt19937_64 rng(77);  // every thread draws the same members and the same samples
        (void)t;
        std::uint64_t h = 0;
        for (int r = 0; r < 2000; ++r) {
            const std::string m = "member-" + std::to_string(rng() % 3500);
            const auto s = z.score(m);
            h = mix(h, s ? static_cast<std::uint64_t>(*s) : 7);
            const auto rk = z.rank(m);
            h = mix(h, rk ? *rk : 9);
            h = mix(h,
                    z.count(bptree::score_range{{static_cast<double>(r % 500)}, {static_cast<double>(r % 500 + 100)}}));
            for (const auto& e : z.range_by_rank(r % 100, r % 100 + 10)) h = mix(h, e.member.size());
            for (const auto& e : z.range_by_score(bptree::score_range{{1}, {40, true}},
                                                  bptree::range_direction::reverse, bptree::range_limit{2, 5})) {
                h = mix(h, static_cast<std::uint64_t>(e.score));
            }
            h = mix(h, z.scan(static_cast<std::uint64_t>(r), 7).entries.size());
            if (const auto pick = z.random_member(rng)) h = mix(h, pick->member.size());
            if (r % 500 == 0) z.verify();
        }
        return h;
    };
    const std::uint64_t expected = read(0);
    for (std::uint64_t s : in_parallel(read)) CHECK(s == expected);
}

TEST_CASE("const members of time_series may run on many threads at once", "[concurrency]") {
    bptree::time_series_options o;
    o.chunk_size_bytes = 256;
    bptree::time_series<bptree::bptree_map_index> ts(o);
    bptree::time_series<bptree::std_map_index> ts_std(o);
    for (std::int64_t t = 0; t < 20000; t += 3) {
        ts.add(t, static_cast<double>(t % 101));
        ts_std.add(t, static_cast<double>(t % 101));
    }
    const auto read = [&](int) {
        std::uint64_t h = 0;
        for (int r = 0; r < 300; ++r) {
            const std::int64_t from = (r * 97) % 19000;
            bptree::ts_range_options q;
            q.count = 50;
            h = mix(h, ts.range(from, from + 400, q).size());
            h = mix(h, ts_std.revrange(from, from + 400, q).size());
            bptree::ts_aggregation agg;
            agg.type = r % 2 ? bptree::aggregator::avg : bptree::aggregator::twa;
            agg.bucket_duration = 50;
            q.aggregation = agg;
            for (const auto& s : ts.range(from, from + 1000, q)) h = mix(h, static_cast<std::uint64_t>(s.value * 1000));
            h = mix(h, ts.get()->ts + ts_std.info().chunk_count + ts.size());
            if (r % 100 == 0) {
                ts.verify();
                ts_std.verify();
            }
        }
        return h;
    };
    const std::uint64_t expected = read(0);
    for (std::uint64_t s : in_parallel(read)) CHECK(s == expected);
}

TEST_CASE("const members of stream may run on many threads at once, and copies may be made concurrently",
          "[concurrency]") {
    using bptree::stream_id;
    bptree::stream<bptree::stream_bptree_map<>> s;
    for (std::uint64_t i = 1; i <= 3000; ++i) {
        s.add(stream_id{i, 0}, {{"field", "value-" + std::to_string(i)}, {"n", std::to_string(i % 13)}});
    }
    s.create_group("g", stream_id{});
    s.read_group("g", "alice", 400, false, 1000);
    s.read_group("g", "bob", 300, false, 2000);
    const auto read = [&](int) {
        std::uint64_t h = 0;
        for (int r = 0; r < 200; ++r) {
            const std::uint64_t at = static_cast<std::uint64_t>(r * 13 % 2900 + 1);
            s.visit_range(stream_id{at, 0}, stream_id{at + 50, 0}, 20, r % 2 == 1,
                          [&](const auto& e) { h = mix(h, e.first.ms); });
            h = mix(h, s.read_after(stream_id{at, 0}, 5).size());
            h = mix(h, s.info().length);
            h = mix(h, s.pending("g").count);
            h = mix(h, s.groups_info().size());
            if (r % 50 == 0) {
                h = mix(h, s.full_info(5).entries.size());
                s.verify();
                // A copy shares field-name blocks with s (reference counted across threads).
                auto copy = s;
                copy.add(stream_id{5000, static_cast<std::uint64_t>(r)}, {{"field", "x"}});
                h = mix(h, copy.info().length);
            }
        }
        return h;
    };
    const std::uint64_t expected = read(0);
    for (std::uint64_t v : in_parallel(read)) CHECK(v == expected);
}
