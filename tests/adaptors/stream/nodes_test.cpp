// The logical nodes of a stream (Redis's listpacks): listpack element sizes, where nodes split
// (by entry count and by bytes), XINFO's radix-tree-keys / radix-tree-nodes, and the one case
// where bptree deliberately starts a node that Redis would not (XSETID below a deleted top).
// The expected (radix-tree-keys, radix-tree-nodes) pairs were read from redis-server 7.0.15
// after the same commands.
#include <catch2/catch.hpp>

#include <string>
#include <utility>

#include "stream_model.hpp"

using namespace stream_test;
namespace d = bptree::detail;

namespace {

template <class Stream>
std::pair<std::size_t, std::size_t> radix(const Stream& s) {
    const bptree::stream_info info = s.info();
    return {info.radix_tree_keys, info.radix_tree_nodes};
}

}  // namespace

TEST_CASE("listpack elements have listpack's encoded sizes", "[stream][nodes]") {
    // Integers: 7-bit, 13-bit, 16-bit, 24-bit, 32-bit and 64-bit encodings, plus one back-length byte.
    CHECK(d::listpack_integer_bytes(0) == 2);
    CHECK(d::listpack_integer_bytes(127) == 2);
    CHECK(d::listpack_integer_bytes(128) == 3);
    CHECK(d::listpack_integer_bytes(-1) == 3);
    CHECK(d::listpack_integer_bytes(-4096) == 3);
    CHECK(d::listpack_integer_bytes(4096) == 4);
    CHECK(d::listpack_integer_bytes(-32769) == 5);
    CHECK(d::listpack_integer_bytes(8388608) == 6);
    CHECK(d::listpack_integer_bytes(2147483648LL) == 10);
    // Strings that read as integers are stored as integers.
    CHECK(d::listpack_string_bytes("127") == 2);
    CHECK(d::listpack_string_bytes("-0") == 4);    // not an integer for listpack: 1 + 2 + 1
    CHECK(d::listpack_string_bytes("007") == 5);   // leading zeros: a string
    CHECK(d::listpack_string_bytes("9223372036854775807") == 10);
    CHECK(d::listpack_string_bytes("9223372036854775808") == 21);
    CHECK(d::listpack_string_bytes("-9223372036854775808") == 10);
    CHECK(d::listpack_string_bytes("") == 2);
    CHECK(d::listpack_string_bytes(std::string(63, 'v')) == 65);
    CHECK(d::listpack_string_bytes(std::string(64, 'v')) == 67);    // 12-bit length
    CHECK(d::listpack_string_bytes(std::string(125, 'v')) == 128);
    CHECK(d::listpack_string_bytes(std::string(126, 'v')) == 130);  // back-length grows past 127
    CHECK(d::listpack_string_bytes(std::string(4096, 'v')) == 4103);
    CHECK(d::listpack_backlen_bytes(127) == 1);
    CHECK(d::listpack_backlen_bytes(128) == 2);
    CHECK(d::listpack_backlen_bytes(16383) == 3);
}

TEMPLATE_TEST_CASE("nodes split where Redis splits its listpacks", "[stream][nodes]", std_backend, bptree_backend) {
    SECTION("by entries: 100 per node, deleted entries included") {
        bptree::stream<TestType> s;
        for (std::uint64_t i = 1; i <= 500; ++i) s.add(sid(i, 1), {{"a", std::to_string(i)}, {"b", "hello"}});
        CHECK(radix(s) == std::make_pair<std::size_t, std::size_t>(5, 14));
        s.erase({sid(150, 1), sid(151, 1)});
        s.trim(bptree::stream_trim::min_id(sid(120, 1)));
        CHECK(radix(s) == std::make_pair<std::size_t, std::size_t>(4, 12));  // redis: 4 12 (379 entries)
        for (std::uint64_t i = 501; i <= 520; ++i) s.add(sid(i, 1), {{"a", std::to_string(i)}, {"b", "hello"}});
        CHECK(radix(s) == std::make_pair<std::size_t, std::size_t>(5, 14));  // redis: 5 14
        s.verify();
    }
    SECTION("by bytes: 60-byte values, 4096-byte listpacks") {
        bptree::stream<TestType> s;
        for (std::uint64_t i = 1; i <= 1000; ++i) s.add(sid(i, 1), {{"f", std::string(60, 'v')}});
        CHECK(radix(s) == std::make_pair<std::size_t, std::size_t>(18, 42));  // redis: 18 42
    }
    SECTION("integer values") {
        bptree::stream<TestType> s;
        for (std::uint64_t i = 1; i <= 1000; ++i) {
            s.add(sid(i, 1), {{"temp", std::to_string(i * 1000003)}, {"unit", "c"}});
        }
        CHECK(radix(s) == std::make_pair<std::size_t, std::size_t>(10, 26));  // redis: 10 26
    }
    SECTION("field names that change from entry to entry") {
        bptree::stream<TestType> s;
        for (std::uint64_t i = 1; i <= 1000; ++i) s.add(sid(i, 1), {{i % 2 ? "x" : "y", std::string(20, 'v')}});
        CHECK(radix(s) == std::make_pair<std::size_t, std::size_t>(10, 26));  // redis: 10 26
    }
    SECTION("entries larger than a node") {
        bptree::stream<TestType> s;
        for (std::uint64_t i = 1; i <= 10; ++i) s.add(sid(i, 1), {{"f", std::string(5000, 'v')}});
        CHECK(radix(s) == std::make_pair<std::size_t, std::size_t>(10, 22));  // redis: 10 22
    }
    SECTION("sparse IDs make a deeper radix tree") {
        bptree::stream<TestType> s;
        for (std::uint64_t i = 0; i < 300; ++i) {
            s.add(sid(i * 1000003 * 4099 + (i * i % 97) + 1, i % 3), {{"f", std::string(40, 'v')}});
        }
        CHECK(radix(s) == std::make_pair<std::size_t, std::size_t>(5, 13));  // redis: 5 13
    }
    SECTION("configured limits (redis: CONFIG SET stream-node-max-bytes / -entries)") {
        bptree::stream<TestType> s(bptree::stream_config{0, 7, true});  // no byte limit
        for (std::uint64_t i = 1; i <= 50; ++i) s.add(sid(i, 1), {{"f", std::string(5000, 'v')}});
        CHECK(s.info().radix_tree_keys == 8);  // redis (0, 7): 8
        bptree::stream<TestType> bytes_only(bptree::stream_config{200, 0, true});
        for (std::uint64_t i = 1; i <= 50; ++i) bytes_only.add(sid(i, 1), {{"f", "v"}});
        CHECK(bytes_only.info().radix_tree_keys == 3);  // redis (200, 0): 3
    }
}

TEST_CASE("radix-tree-nodes counts a compressed trie over 16-byte keys", "[stream][nodes]") {
    using counter = d::radix_node_counter;
    std::vector<counter::key> keys;
    CHECK(counter::count(keys) == 1);  // the root only
    keys.push_back(counter::encode(sid(1, 1)));
    CHECK(counter::count(keys) == 2);  // one compressed chain and its leaf
    keys.push_back(counter::encode(sid(101, 1)));
    keys.push_back(counter::encode(sid(201, 1)));
    CHECK(counter::count(keys) == 8);  // chain, branch, three (chain + leaf)
    std::vector<counter::key> adjacent = {counter::encode(sid(1, 1)), counter::encode(sid(1, 2))};
    CHECK(counter::count(adjacent) == 4);  // chain of 15 bytes, branch, two leaves
}

TEMPLATE_TEST_CASE("XSETID below a deleted top entry closes the newest node", "[stream][nodes]", std_backend,
                   bptree_backend) {
    bptree::stream<TestType> s;
    s.add(sid(1, 0), {{"a", "1"}});
    s.add(sid(2, 0), {{"a", "2"}});
    s.erase(sid(2, 0));
    s.set_last_id(sid(1, 5));  // below 2-0, which the node still records
    s.add(sid(1, 6), {{"a", "3"}});
    // Redis appends 1-6 after the deleted 2-0 in the same listpack (1 node); bptree starts one.
    CHECK(s.info().radix_tree_keys == 2);
    CHECK(s.range().size() == 2);
    CHECK(s.erase(sid(1, 6)));
    CHECK(s.trim(bptree::stream_trim::min_id(sid(1, 7))) == 1);
    CHECK(s.empty());
    s.verify();

    // On an empty stream the nodes without live entries go as well.
    bptree::stream<TestType> e;
    for (std::uint64_t i = 1; i <= 150; ++i) e.add(sid(i, 0), {{"a", "1"}});
    e.erase(sid(150, 0));
    CHECK(e.trim(bptree::stream_trim::min_id(sid(150, 0))) == 149);  // the second node stays, no live entry
    CHECK(e.empty());
    CHECK(e.info().radix_tree_keys == 1);
    e.set_last_id(sid(5, 0));
    CHECK(e.info().radix_tree_keys == 0);
    e.add(sid(6, 0), {{"a", "1"}});
    CHECK(e.info().radix_tree_keys == 1);
    e.verify();
}
