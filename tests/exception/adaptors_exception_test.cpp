// Exception safety of the adaptors' mutating typed members (sorted_set, time_series, stream) on
// every backend: the k-th allocation anywhere in the process fails (tests/support/failing_new.cpp
// replaces the global operator new in this executable), for k = 1, 2, ... until the member
// completes. After every failure the object's verify() must hold (the basic guarantee); the
// single-member add and remove and the copy assignment of a sorted set must leave it unchanged
// (strong, as sorted_set.hpp promises); after the object's life the heap must hold exactly the blocks it held before (no leak).
// The sorted set is also swept with a Member type whose copy throws.
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "bptree/sorted_set.hpp"
#include "bptree/stream.hpp"
#include "bptree/time_series.hpp"
#include "support/counted_value.hpp"
#include "support/exception_sweep.hpp"
#include "support/failing_new.hpp"

namespace {

using bptree_test::guarantee;

template <class Object>
struct adaptor_case {
    std::string name;
    guarantee level;
    std::function<void(Object&)> op;
};

// With BPTREE_EXCEPTION_MATRIX set, one line per swept member (as container_cases.hpp's report()).
template <class Object>
void report(const adaptor_case<Object>& c, const char* source, long faults) {
    if (std::getenv("BPTREE_EXCEPTION_MATRIX") == nullptr) return;
    std::printf("matrix\t%s\t%s\t%s\t%s\t%ld\n", Catch::getResultCapture().getCurrentTestName().c_str(), source,
                c.name.c_str(), bptree_test::to_string(c.level), faults);
}

// Sweeps every case under heap faults; make() builds the object (faults disarmed).
template <class Object, class Make, class Snapshot, class Verify>
long run_heap_cases(const std::vector<adaptor_case<Object>>& cases, Make make, Snapshot snapshot, Verify verify) {
    REQUIRE(bptree_test::heap_faults::installed());
    long faults = 0;
    for (const auto& c : cases) {
        INFO("member: " << c.name << " (" << bptree_test::to_string(c.level) << ")");
        const auto r = bptree_test::sweep(bptree_test::heap_faults_source{}, c.level,
                                          bptree_test::ledger_watch{nullptr, true, nullptr}, make, c.op, snapshot,
                                          verify, [&](Object& o) { verify(o); });
        REQUIRE(r.completed);
        report(c, "heap", r.faults);
        faults += r.faults;
    }
    return faults;
}

// ---------------------------------------------------------------------------- sorted_set

template <class Z>
std::vector<std::pair<typename Z::member_type, double>> zset_snapshot(const Z& z) {
    std::vector<std::pair<typename Z::member_type, double>> out;
    for (const auto& e : z) out.emplace_back(e.member, e.score);
    return out;
}

// Longer than std::string's small buffer, so that every copy of a member allocates.
std::string member_name(int i) {
    return "sorted-set-member:" + std::to_string(i) + std::string(static_cast<std::size_t>(i % 5) * 7, 'x');
}

template <class Z>
Z zset_fixture() {
    Z z;
    for (int i = 0; i < 150; ++i) z.add(member_name(i), static_cast<double>((i * 37) % 101));
    return z;
}

template <class Z>
std::vector<adaptor_case<Z>> zset_cases() {
    using range = bptree::score_range;
    const guarantee strong = guarantee::strong;
    const guarantee basic = guarantee::basic;
    return {
        {"add(new member)", strong, [](Z& z) { z.add(member_name(1000), 50.5); }},
        {"add(existing member, score that moves it)", basic, [](Z& z) { z.add(member_name(10), 99.25); }},
        {"add(existing member, score that keeps its place)", basic, [](Z& z) { z.add(member_name(0), 0.0 + 1e-9); }},
        {"add(pairs)", basic,
         [](Z& z) {
             const std::vector<std::pair<double, std::string>> pairs = {
                 {1.5, member_name(2000)}, {2.5, member_name(3)}, {-4, member_name(2001)}, {7, member_name(140)}};
             z.add(pairs);
         }},
        {"add(pairs, CH GT)", basic,
         [](Z& z) {
             bptree::zadd_options o;
             o.gt = true;
             o.ch = true;
             z.add({{1000.0, member_name(5)}, {1.0, member_name(6)}, {3.0, member_name(3000)}}, o);
         }},
        {"add_incr(new member)", strong, [](Z& z) { z.add_incr(member_name(4000), 2.0); }},
        {"incr_by(existing member)", basic, [](Z& z) { z.incr_by(member_name(20), 33.0); }},
        {"remove(member)", strong, [](Z& z) { z.remove(member_name(30)); }},
        {"remove(members)", basic,
         [](Z& z) {
             z.remove({member_name(31), member_name(5000), member_name(32)});
         }},
        {"remove_range_by_rank", basic, [](Z& z) { z.remove_range_by_rank(10, 60); }},
        {"remove_range_by_score", basic,
         [](Z& z) {
             z.remove_range_by_score(range{{20}, {40, true}});
         }},
        {"remove_range_by_lex", basic,
         [](Z& z) {
             using lex = bptree::lex_bound<std::string>;
             z.remove_range_by_lex({lex::inclusive("member:1"), lex::exclusive("member:3")});
         }},
        {"pop_min(5)", basic, [](Z& z) { z.pop_min(5); }},
        {"pop_max(40)", basic, [](Z& z) { z.pop_max(40); }},
        {"copy assignment", strong, [](Z& z) {
             Z other;
             for (int i = 0; i < 30; ++i) other.add(member_name(i * 7), static_cast<double>(i));
             z = other;
         }},
        {"move assignment", basic, [](Z& z) { z = zset_fixture<Z>(); }},
        {"bulk load (sorted_unique)", basic,
         [](Z& z) {
             std::vector<typename Z::value_type> entries;
             for (int i = 0; i < 40; ++i) entries.push_back({member_name(i), static_cast<double>(i)});
             z = Z(bptree::sorted_unique, entries.begin(), entries.end());
         }},
    };
}

// A member type whose copy throws (fault_copy): a counted key plus a hash.
using member_c = bptree_test::counted<true>;
struct member_c_hash {
    std::size_t operator()(const member_c& m) const noexcept { return std::hash<int>()(m.key()); }
};

template <class Z>
std::vector<adaptor_case<Z>> zset_copy_cases() {
    const guarantee strong = guarantee::strong;
    const guarantee basic = guarantee::basic;
    return {
        {"add(new member)", strong, [](Z& z) { z.add(member_c(1000), 50.5); }},
        {"add(existing member, score that moves it)", basic, [](Z& z) { z.add(member_c(10), 99.25); }},
        {"remove(member)", strong, [](Z& z) { z.remove(member_c(30)); }},
        {"remove_range_by_rank", basic, [](Z& z) { z.remove_range_by_rank(3, 30); }},
        {"pop_min(5)", basic, [](Z& z) { z.pop_min(5); }},
        {"copy assignment", strong, [](Z& z) {
             Z other;
             for (int i = 0; i < 30; ++i) other.add(member_c(i * 7), static_cast<double>(i));
             z = other;
         }},
    };
}

}  // namespace

using zset_default = bptree::sorted_set<std::string>;
using zset_tiny = bptree::sorted_set<std::string, bptree::bptree_index<bptree::slot_traits<3, 4>>>;
using zset_std = bptree::sorted_set<std::string, bptree::std_set_index>;

TEMPLATE_TEST_CASE("sorted_set members are exception safe when the k-th allocation fails",
                   "[exception][adaptors][sorted_set]", zset_default, zset_tiny, zset_std) {
    const long faults = run_heap_cases<TestType>(
        zset_cases<TestType>(), [] { return zset_fixture<TestType>(); },
        [](const TestType& z) { return zset_snapshot(z); }, [](const TestType& z) { z.verify(); });
    CHECK(faults >= 50);
}

using zset_c_default = bptree::sorted_set<member_c, bptree::bptree_index<>, member_c_hash>;
using zset_c_tiny = bptree::sorted_set<member_c, bptree::bptree_index<bptree::slot_traits<3, 4>>, member_c_hash>;
using zset_c_std = bptree::sorted_set<member_c, bptree::std_set_index, member_c_hash>;

TEMPLATE_TEST_CASE("sorted_set members are exception safe when copying a member throws",
                   "[exception][adaptors][sorted_set]", zset_c_default, zset_c_tiny, zset_c_std) {
    using Z = TestType;
    const auto make = [] {
        Z z;
        for (int i = 0; i < 80; ++i) z.add(member_c(i), static_cast<double>((i * 37) % 101));
        return z;
    };
    const auto snapshot = [](const Z& z) {
        std::vector<std::pair<int, double>> out;
        for (const auto& e : z) out.emplace_back(e.member.key(), e.score);
        return out;
    };
    long faults = 0;
    for (const auto& c : zset_copy_cases<Z>()) {
        INFO("member: " << c.name);
        const auto r = bptree_test::sweep(
            bptree_test::value_faults{bptree_test::fault_any_copy, "member copy"}, c.level, bptree_test::ledger_watch{},
            make, c.op, snapshot, [](const Z& z) { z.verify(); }, [](Z& z) { z.verify(); });
        REQUIRE(r.completed);
        report(c, "member copy", r.faults);
        faults += r.faults;
    }
    CHECK(faults >= 5);
}

// ---------------------------------------------------------------------------- time_series

namespace {

// A source series with a compaction rule into a destination (rules link objects by address, so
// the pair lives in one object that is never copied) and small chunks (48 bytes: 3 samples).
template <class Index>
struct ts_pair {
    bptree::time_series<Index> src;
    bptree::time_series<Index> dst;
    ts_pair() : src(options(bptree::ts_encoding::uncompressed)), dst(options(bptree::ts_encoding::compressed)) {
        for (std::int64_t t = 0; t < 300; t += 3) src.add(t, static_cast<double>(t % 17));
        src.create_rule(dst, bptree::aggregator::avg, 10, 0, "dst", "src");
        for (std::int64_t t = 300; t < 330; t += 3) src.add(t, 1.5);
    }
    static bptree::time_series_options options(bptree::ts_encoding e) {
        bptree::time_series_options o;
        o.chunk_size_bytes = 48;
        o.encoding = e;
        o.policy = bptree::duplicate_policy::last;
        o.labels = {{"name", "value"}};
        return o;
    }
    ts_pair(const ts_pair&) = delete;
    ts_pair& operator=(const ts_pair&) = delete;
};

template <class Index>
struct ts_holder {
    std::unique_ptr<ts_pair<Index>> p = std::make_unique<ts_pair<Index>>();
};

template <class Index>
std::vector<adaptor_case<ts_holder<Index>>> ts_cases() {
    using H = ts_holder<Index>;
    const guarantee basic = guarantee::basic;
    return {
        {"add (append, closes a compaction bucket)", basic, [](H& h) { h.p->src.add(345, 2.0); }},
        {"add (out of order, splits a full chunk)", basic, [](H& h) { h.p->src.add(100, 4.0); }},
        {"add (out of order, chunk with room)", basic, [](H& h) { h.p->src.add(301, 4.0); }},
        {"add (duplicate, ON_DUPLICATE SUM)", basic, [](H& h) { h.p->src.add(99, 4.0, bptree::duplicate_policy::sum); }},
        {"incrby", basic, [](H& h) { h.p->src.incrby(400, 2.5); }},
        {"decrby (same timestamp as the newest)", basic, [](H& h) { h.p->src.decrby(327, 2.5); }},
        {"del (range over several chunks, recompacts)", basic, [](H& h) { h.p->src.del(50, 200); }},
        {"set_retention (drops chunks)", basic, [](H& h) { h.p->src.set_retention(100); }},
        {"set_chunk_size", basic, [](H& h) { h.p->src.set_chunk_size(4096); }},
        {"set_labels", basic,
         [](H& h) {
             h.p->src.set_labels({{"a", "b"}, {"c", "d"}});
         }},
        {"delete_rule then create_rule", basic,
         [](H& h) {
             h.p->src.delete_rule(h.p->dst);
             h.p->src.create_rule(h.p->dst, bptree::aggregator::max, 7, 0, "dst-again", "src");
         }},
        {"copy assignment", basic,
         [](H& h) {
             bptree::time_series<Index> copy = h.p->src;
             h.p->dst = copy;
         }},
    };
}

template <class Index>
void ts_verify(const ts_holder<Index>& h) {
    h.p->src.verify();
    h.p->dst.verify();
}

template <class Index>
std::vector<bptree::ts_sample> ts_snapshot(const ts_holder<Index>& h) {
    auto v = h.p->src.range(0, INT64_MAX);
    const auto d = h.p->dst.range(0, INT64_MAX);
    v.insert(v.end(), d.begin(), d.end());
    return v;
}

// A series without rules (small chunks of 3 plain samples or a few compressed ones), starting at
// 30 so that a sample can go before every other one: its single-sample writes and a delete inside
// one chunk change its chunks with the strong guarantee.
template <class Index>
bptree::time_series<Index> ts_lone_fixture(bptree::ts_encoding encoding) {
    bptree::time_series<Index> s(ts_pair<Index>::options(encoding));
    for (std::int64_t t = 30; t < 300; t += 3) s.add(t, static_cast<double>(t % 17));
    return s;
}

template <class Index>
std::vector<adaptor_case<bptree::time_series<Index>>> ts_lone_cases() {
    using S = bptree::time_series<Index>;
    const guarantee strong = guarantee::strong;
    return {
        {"add (append)", strong, [](S& s) { s.add(345, 2.0); }},
        {"add (out of order, splits a full chunk)", strong, [](S& s) { s.add(100, 4.0); }},
        {"add (before every sample: re-keys the first chunk)", strong, [](S& s) { s.add(1, 4.0); }},
        {"add (duplicate, ON_DUPLICATE SUM)", strong, [](S& s) { s.add(99, 4.0, bptree::duplicate_policy::sum); }},
        {"incrby", strong, [](S& s) { s.incrby(400, 2.5); }},
        {"del (inside one chunk)", strong, [](S& s) { s.del(100, 102); }},
        {"del (the first sample: re-keys the first chunk)", strong, [](S& s) { s.del(30, 30); }},
    };
}

}  // namespace

TEMPLATE_TEST_CASE("time_series single-sample writes without rules are strongly exception safe",
                   "[exception][adaptors][time_series]", bptree::std_map_index, bptree::bptree_map_index) {
    using S = bptree::time_series<TestType>;
    long faults = 0;
    for (const auto encoding : {bptree::ts_encoding::uncompressed, bptree::ts_encoding::compressed}) {
        faults += run_heap_cases<S>(
            ts_lone_cases<TestType>(), [encoding] { return ts_lone_fixture<TestType>(encoding); },
            [](const S& s) { return s.range(0, INT64_MAX); }, [](const S& s) { s.verify(); });
    }
    CHECK(faults >= 20);
}

TEMPLATE_TEST_CASE("time_series members are exception safe when the k-th allocation fails",
                   "[exception][adaptors][time_series]", bptree::std_map_index, bptree::bptree_map_index) {
    const long faults = run_heap_cases<ts_holder<TestType>>(
        ts_cases<TestType>(), [] { return ts_holder<TestType>(); },
        [](const ts_holder<TestType>& h) { return ts_snapshot(h); },
        [](const ts_holder<TestType>& h) { ts_verify(h); });
    CHECK(faults >= 20);
}

// ---------------------------------------------------------------------------- stream

namespace {

using bptree::stream_id;

template <class Backend>
bptree::stream<Backend> stream_fixture() {
    bptree::stream<Backend> s(bptree::stream_config{0, 10, true});
    for (std::uint64_t i = 1; i <= 60; ++i) {
        s.add(stream_id{i, 0}, {{"field", "value-" + std::to_string(i)}, {"other", std::string(i % 9, 'v')}});
    }
    s.erase(stream_id{7, 0});
    s.create_group("g", stream_id{});
    s.create_group("h", stream_id{30, 0}, 5);
    s.read_group("g", "alice", 12, false, 1000);
    s.read_group("g", "bob", 8, false, 2000);
    return s;
}

template <class Backend>
std::vector<adaptor_case<bptree::stream<Backend>>> stream_cases() {
    using S = bptree::stream<Backend>;
    using trim = bptree::stream_trim;
    const guarantee basic = guarantee::basic;
    const std::vector<stream_id> ids = {stream_id{3, 0}, stream_id{4, 0}, stream_id{50, 0}, stream_id{99, 0}};
    return {
        {"add", basic,
         [](S& s) {
             s.add(stream_id{100, 0}, {{"field", "new"}, {"x", "y"}});
         }},
        {"add with MAXLEN ~ trim", basic,
         [](S& s) {
             s.add(stream_id{100, 0}, {{"field", "new"}}, trim::max_length(25, true));
         }},
        {"add_flat", basic,
         [](S& s) {
             const std::vector<std::string> flat = {"a", "1", "b", "2"};
             s.add_flat(bptree::stream_add_id::auto_sequence(100), flat.begin(), flat.end());
         }},
        {"erase(ids)", basic, [ids](S& s) { s.erase(ids); }},
        {"trim MAXLEN =", basic, [](S& s) { s.trim(trim::max_length(20)); }},
        {"trim MINID ~", basic,
         [](S& s) {
             s.trim(trim::min_id(stream_id{35, 0}, true));
         }},
        {"set_last_id", basic,
         [](S& s) {
             s.set_last_id(stream_id{500, 0}, 1000u, stream_id{70, 0});
         }},
        {"create_group", basic,
         [](S& s) {
             s.create_group("new-group", stream_id{10, 0}, 3);
         }},
        {"set_group_id", basic,
         [](S& s) {
             s.set_group_id("g", stream_id{40, 0}, 20);
         }},
        {"destroy_group", basic, [](S& s) { s.destroy_group("g"); }},
        {"create_consumer", basic, [](S& s) { s.create_consumer("g", "carol", 3000); }},
        {"delete_consumer", basic, [](S& s) { s.delete_consumer("g", "alice"); }},
        {"read_group >", basic, [](S& s) { s.read_group("g", "carol", 15, false, 4000); }},
        {"read_group > NOACK", basic, [](S& s) { s.read_group("h", "dave", 0, true, 4000); }},
        {"read_group_history", basic,
         [](S& s) {
             s.read_group_history("g", "alice", stream_id{2, 0}, 0, 5000);
         }},
        {"ack", basic, [ids](S& s) { s.ack("g", ids); }},
        {"claim", basic, [ids](S& s) { s.claim("g", "erin", 0, ids, bptree::stream_claim_options{}, 6000); }},
        {"claim_ids FORCE", basic,
         [ids](S& s) {
             bptree::stream_claim_options o;
             o.force = true;
             s.claim_ids("g", "erin", 0, ids, o, 6000);
         }},
        {"autoclaim", basic, [](S& s) { s.autoclaim("g", "frank", 0, stream_id{}, 10, 7000); }},
        {"autoclaim_ids", basic, [](S& s) { s.autoclaim_ids("g", "frank", 0, stream_id{}, 10, 7000); }},
        {"copy assignment", basic, [](S& s) { s = stream_fixture<Backend>(); }},
    };
}

}  // namespace

using stream_tiny_backend = bptree::stream_bptree_map<bptree::slot_traits<3, 4>>;

TEMPLATE_TEST_CASE("stream members are exception safe when the k-th allocation fails", "[exception][adaptors][stream]",
                   bptree::stream_std_map, bptree::stream_bptree_map<>, stream_tiny_backend) {
    using S = bptree::stream<TestType>;
    const long faults = run_heap_cases<S>(
        stream_cases<TestType>(), [] { return stream_fixture<TestType>(); },
        [](const S& s) { return s.full_info(0).entries.size(); }, [](const S& s) { s.verify(); });
    CHECK(faults >= 50);
}

// Reads and claims are all or nothing per entry: after the k-th allocation fails, the stream equals
// the fixture after the same call limited to its first j entries, for some j (j = 0: untouched).
// So a failed call leaves no half-given entry, and no consumer created or seen for nothing.
TEMPLATE_TEST_CASE("stream reads and claims keep exactly their completed entries when an allocation fails",
                   "[exception][adaptors][stream]", bptree::stream_std_map, bptree::stream_bptree_map<>) {
    using S = bptree::stream<TestType>;
    using limited_call = std::function<void(S&, std::size_t)>;  // the call on its first j entries
    const auto check = [](const char* name, const limited_call& call, std::size_t entries) {
        std::vector<S> prefixes;
        for (std::size_t j = 0; j <= entries; ++j) {
            prefixes.push_back(stream_fixture<TestType>());
            if (j != 0) call(prefixes.back(), j);
        }
        const auto partial = [&](const S& s) {
            for (const S& p : prefixes) {
                if (p == s) return false;
            }
            return true;
        };
        INFO(name);
        CHECK(bptree_test::first_breaking_fault(
                  bptree_test::heap_faults_source{}, [] { return stream_fixture<TestType>(); },
                  [&](S& s) { call(s, entries); }, partial) == 0);
    };
    const std::vector<stream_id> ids = {stream_id{3, 0}, stream_id{50, 0}, stream_id{4, 0}, stream_id{20, 0}};
    const auto claim = [ids](const char* consumer) {
        return [ids, consumer](S& s, std::size_t j) {
            bptree::stream_claim_options force;
            force.force = true;
            s.claim("g", consumer, 0, std::vector<stream_id>(ids.begin(), ids.begin() + j), force, 6000);
        };
    };
    const auto read = [](const char* consumer) {
        return [consumer](S& s, std::size_t j) { s.read_group("g", consumer, j, false, 4000); };
    };
    const limited_call autoclaim = [](S& s, std::size_t j) { s.autoclaim("g", "frank", 0, stream_id{}, j, 7000); };
    check("read_group > (new consumer)", read("carol"), 15);
    check("read_group > (existing consumer)", read("bob"), 5);
    check("claim FORCE (new consumer)", claim("erin"), ids.size());
    check("claim FORCE (existing consumer)", claim("bob"), ids.size());
    check("autoclaim (new consumer)", autoclaim, 10);
}
