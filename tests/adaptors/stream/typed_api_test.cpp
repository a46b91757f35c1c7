// The typed members of bptree::stream that need no consumer group: XADD's ID forms and its
// trimming, XRANGE / XREVRANGE bounds and counts, XREAD, XDEL, XTRIM (exact and approximate,
// with LIMIT), XSETID, XINFO STREAM [FULL], field storage, copies and equality. Every case runs
// on std::map and on bptree::map. Expected values follow Redis 7.0 (checked with redis-server).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "stream_model.hpp"

using namespace stream_test;
using bptree::stream_add_id;
using bptree::stream_bound;
using bptree::stream_entry;
using bptree::stream_trim;
namespace errors = bptree::detail;

namespace {

// n entries i-1 for i = first..first+n-1, each {"f": "v<i>"}.
template <class Stream>
void fill(Stream& s, std::uint64_t first, std::uint64_t n) {
    for (std::uint64_t i = first; i < first + n; ++i) s.add(sid(i, 1), {{"f", "v" + std::to_string(i)}});
}

template <class Stream>
std::vector<stream_id> ids_of(const Stream& s) {
    std::vector<stream_id> ids;
    for (const auto& e : s) ids.push_back(e.first);
    return ids;
}

std::vector<stream_id> ids_of(const std::vector<stream_entry>& entries) {
    std::vector<stream_id> ids;
    for (const auto& e : entries) ids.push_back(e.id);
    return ids;
}

}  // namespace

TEMPLATE_TEST_CASE("add takes explicit IDs, ms-* and * from the caller's clock", "[stream][add]", std_backend,
                   bptree_backend) {
    bptree::stream<TestType> s;
    CHECK(s.add(sid(5, 3), {{"a", "1"}}) == sid(5, 3));
    CHECK(s.add(stream_add_id::auto_sequence(5), {{"a", "2"}}) == sid(5, 4));  // same ms: next sequence
    CHECK(s.add(stream_add_id::auto_sequence(9), {{"a", "3"}}) == sid(9, 0));  // later ms: sequence 0
    CHECK(s.add(stream_add_id::automatic(100), {{"a", "4"}}) == sid(100, 0));  // clock ahead: (now, 0)
    CHECK(s.add(stream_add_id::automatic(100), {{"a", "5"}}) == sid(100, 1));  // same ms: next sequence
    CHECK(s.add(stream_add_id::automatic(50), {{"a", "6"}}) == sid(100, 2));   // clock behind: never go back
    CHECK(s.size() == 6);
    CHECK(s.last_id() == sid(100, 2));
    CHECK(s.first_id() == sid(5, 3));
    CHECK(s.entries_added() == 6);
    s.verify();

    // "*" after a full sequence moves to the next millisecond.
    bptree::stream<TestType> t;
    t.add(sid(7, stream_id::max().seq), {{"a", "1"}});
    CHECK(t.add(stream_add_id::automatic(3), {{"a", "2"}}) == sid(8, 0));
}

TEMPLATE_TEST_CASE("add refuses IDs that do not grow, with Redis's texts", "[stream][add][errors]", std_backend,
                   bptree_backend) {
    bptree::stream<TestType> s;
    CHECK(error_of([&] { s.add(sid(0, 0), {{"a", "1"}}); }) == errors::stream_errors::id_zero);
    s.add(sid(5, 5), {{"a", "1"}});
    CHECK(error_of([&] { s.add(sid(5, 5), {{"a", "1"}}); }) == errors::stream_errors::id_too_small);
    CHECK(error_of([&] { s.add(sid(4, 9), {{"a", "1"}}); }) == errors::stream_errors::id_too_small);
    CHECK(error_of([&] { s.add(stream_add_id::auto_sequence(4), {{"a", "1"}}); }) ==
          errors::stream_errors::id_too_small);
    CHECK(error_of([&] { s.add(sid(6, 0), std::vector<std::pair<std::string, std::string>>{}); }) ==
          "ERR wrong number of arguments for 'xadd' command");
    CHECK(s.size() == 1);

    s.add(sid(9, stream_id::max().seq), {{"a", "1"}});
    CHECK(error_of([&] { s.add(stream_add_id::auto_sequence(9), {{"a", "1"}}); }) ==
          errors::stream_errors::id_too_small);

    s.add(stream_id::max(), {{"a", "1"}});
    CHECK(error_of([&] { s.add(stream_add_id::automatic(1), {{"a", "1"}}); }) == errors::stream_errors::exhausted);
    CHECK(error_of([&] { s.add(sid(1, 1), {{"a", "1"}}); }) == errors::stream_errors::exhausted);
    CHECK(s.size() == 3);
    s.verify();
}

TEMPLATE_TEST_CASE("entries keep their pairs in order, repeated names included", "[stream][add]", std_backend,
                   bptree_backend) {
    bptree::stream<TestType> s;
    const std::vector<std::string> argv = {"a", "1", "b", "", "a", "3"};
    s.add_flat(sid(1, 1), argv.begin(), argv.end());
    s.add(sid(2, 0), std::vector<std::pair<std::string, std::string>>{{"", "x"}, {"a", std::string(300, 'z')}});
    const auto all = s.range();
    REQUIRE(all.size() == 2);
    CHECK(all[0].fields == field_list{{"a", "1"}, {"b", ""}, {"a", "3"}});
    CHECK(all[1].fields == field_list{{"", "x"}, {"a", std::string(300, 'z')}});
    CHECK(s.find(sid(1, 1))->second.size() == 3);
    CHECK(error_of([&] { s.add_flat(sid(3, 0), argv.begin(), argv.end() - 1); }) ==
          "ERR wrong number of arguments for 'xadd' command");
}

TEMPLATE_TEST_CASE("range, reverse_range and read_after select by inclusive or exclusive IDs", "[stream][range]",
                   std_backend, bptree_backend) {
    bptree::stream<TestType> s;
    fill(s, 1, 10);  // 1-1 .. 10-1
    CHECK(ids_of(s.range(sid(3, 0), sid(5, stream_id::max().seq))) == std::vector<stream_id>{sid(3, 1), sid(4, 1), sid(5, 1)});
    CHECK(ids_of(s.range(stream_bound::exclusive_of(sid(3, 1)), stream_bound::exclusive_of(sid(6, 1)))) ==
          std::vector<stream_id>{sid(4, 1), sid(5, 1)});
    CHECK(ids_of(s.range(stream_id::min(), stream_id::max(), 2)) == std::vector<stream_id>{sid(1, 1), sid(2, 1)});
    CHECK(ids_of(s.reverse_range(stream_id::min(), stream_id::max(), 3)) ==
          std::vector<stream_id>{sid(10, 1), sid(9, 1), sid(8, 1)});
    CHECK(ids_of(s.reverse_range(sid(2, 0), stream_bound::exclusive_of(sid(4, 1)))) ==
          std::vector<stream_id>{sid(3, 1), sid(2, 1)});
    CHECK(s.range(sid(7, 0), sid(6, 0)).empty());
    CHECK(s.range(stream_bound::exclusive_of(sid(5, 1)), stream_bound::exclusive_of(sid(5, 2))).empty());
    CHECK(s.range(sid(4, 1), sid(4, 1)) == std::vector<stream_entry>{stream_entry{sid(4, 1), {{"f", "v4"}}}});

    CHECK(error_of([&] { s.range(stream_bound::exclusive_of(stream_id::max()), stream_id::max()); }) ==
          errors::stream_errors::invalid_start);
    CHECK(error_of([&] { s.range(stream_id::min(), stream_bound::exclusive_of(stream_id::min())); }) ==
          errors::stream_errors::invalid_end);

    CHECK(ids_of(s.read_after(sid(8, 1))) == std::vector<stream_id>{sid(9, 1), sid(10, 1)});
    CHECK(ids_of(s.read_after(stream_id::min(), 1)) == std::vector<stream_id>{sid(1, 1)});
    CHECK(s.read_after(sid(10, 1)).empty());

    std::size_t visited = 0;
    CHECK(s.visit_range(sid(2, 0), sid(9, 0), 4, true, [&](const auto& e) {
        CHECK(e.second.size() == 1);
        ++visited;
    }) == 4);
    CHECK(visited == 4);
}

TEMPLATE_TEST_CASE("erase updates max-deleted-entry-id and the first entry ID as XDEL does", "[stream][erase]",
                   std_backend, bptree_backend) {
    bptree::stream<TestType> s;
    fill(s, 1, 5);
    CHECK(s.erase({sid(3, 1), sid(9, 9), sid(3, 1)}) == 1);
    CHECK(s.max_deleted_id() == sid(3, 1));
    CHECK(s.first_id() == sid(1, 1));
    CHECK(s.erase({sid(1, 1), sid(2, 1)}) == 2);
    CHECK(s.first_id() == sid(4, 1));
    CHECK(s.max_deleted_id() == sid(3, 1));  // the greatest deleted ID only ever grows
    CHECK_FALSE(s.erase(sid(2, 1)));
    CHECK(s.erase({sid(5, 1), sid(4, 1)}) == 2);
    CHECK(s.empty());
    CHECK(s.first_id() == stream_id{});
    CHECK(s.max_deleted_id() == sid(5, 1));
    CHECK(s.last_id() == sid(5, 1));  // an empty stream keeps its counters
    CHECK(s.entries_added() == 5);
    s.verify();
    CHECK(s.add(sid(6, 0), {{"a", "1"}}) == sid(6, 0));
    CHECK(s.first_id() == sid(6, 0));
}

TEMPLATE_TEST_CASE("exact trimming removes exactly and leaves max-deleted-entry-id alone", "[stream][trim]",
                   std_backend, bptree_backend) {
    bptree::stream<TestType> s;
    fill(s, 1, 250);
    CHECK(s.trim(stream_trim::max_length(240)) == 10);
    CHECK(s.first_id() == sid(11, 1));
    CHECK(s.trim(stream_trim::max_length(240)) == 0);
    CHECK(s.trim(stream_trim::min_id(sid(150, 0))) == 139);  // 11-1 .. 149-1
    CHECK(s.first_id() == sid(150, 1));
    CHECK(s.size() == 101);
    CHECK(s.max_deleted_id() == stream_id{});
    CHECK(s.trim(stream_trim::min_id(sid(150, 1))) == 0);
    CHECK(s.trim(stream_trim::max_length(0)) == 101);
    CHECK(s.empty());
    CHECK(s.first_id() == stream_id{});
    CHECK(s.entries_added() == 250);
    s.verify();
}

TEMPLATE_TEST_CASE("approximate trimming removes whole nodes only, at most LIMIT entries", "[stream][trim]",
                   std_backend, bptree_backend) {
    // Nodes of 100 entries (Redis's default): 1..100, 101..200, 201..250.
    bptree::stream<TestType> s;
    fill(s, 1, 250);
    CHECK(s.info().radix_tree_keys == 3);
    CHECK(s.trim(stream_trim::max_length(120, true)) == 100);  // the second node would leave 50 < 120
    CHECK(s.first_id() == sid(101, 1));
    CHECK(s.trim(stream_trim::max_length(0, true, 99)) == 0);  // a whole node is 100 > LIMIT 99
    CHECK(s.trim(stream_trim::max_length(0, true, 100)) == 100);
    CHECK(s.trim(stream_trim::min_id(sid(240, 0), true)) == 0);  // the last node holds 240-1
    CHECK(s.size() == 50);
    s.verify();

    // MINID ~ removes nodes whose newest ID is below the threshold.
    bptree::stream<TestType> m;
    fill(m, 1, 250);
    CHECK(m.trim(stream_trim::min_id(sid(201, 0), true)) == 200);
    CHECK(m.trim(stream_trim::min_id(sid(201, 0), true, 0)) == 0);

    // Without LIMIT, '~' stops after 100 * node_max_entries entries; LIMIT 0 means no limit.
    bptree::stream<TestType> big(bptree::stream_config{4096, 10, true});
    fill(big, 1, 2500);
    CHECK(big.trim(stream_trim::max_length(0, true)) == 1000);
    CHECK(big.trim(stream_trim::max_length(0, true, 0)) == 1500);
    big.verify();
}

TEMPLATE_TEST_CASE("a partial exact trim leaves its node with deleted entries", "[stream][trim]", std_backend,
                   bptree_backend) {
    bptree::stream<TestType> s;
    fill(s, 1, 150);
    CHECK(s.trim(stream_trim::min_id(sid(100, 2))) == 100);  // node 1..100 is removed whole
    CHECK(s.trim(stream_trim::max_length(40)) == 10);        // 101..110 marked deleted in node 2
    CHECK(s.info().radix_tree_keys == 1);
    // The node still counts its 10 deleted entries: 50 more fill it to 100, the 51st starts a node.
    fill(s, 151, 50);
    CHECK(s.info().radix_tree_keys == 1);
    fill(s, 201, 1);
    CHECK(s.info().radix_tree_keys == 2);
    s.verify();
}

TEMPLATE_TEST_CASE("add trims after adding", "[stream][add][trim]", std_backend, bptree_backend) {
    bptree::stream<TestType> s;
    fill(s, 1, 5);
    CHECK(s.add(sid(6, 0), {{"a", "1"}}, stream_trim::max_length(2)) == sid(6, 0));
    CHECK(ids_of(s) == std::vector<stream_id>{sid(5, 1), sid(6, 0)});
    CHECK(s.add(sid(7, 0), {{"a", "1"}}, stream_trim::max_length(0)) == sid(7, 0));
    CHECK(s.empty());
    CHECK(s.last_id() == sid(7, 0));
    CHECK(s.entries_added() == 7);
    CHECK(error_of([&] { s.add(sid(8, 0), {{"a", "1"}}, stream_trim::max_length(0, false, 5)); }) ==
          errors::stream_errors::limit_without_tilde);
    CHECK(s.last_id() == sid(7, 0));
}

TEMPLATE_TEST_CASE("set_last_id follows XSETID's rules", "[stream][setid]", std_backend, bptree_backend) {
    bptree::stream<TestType> s;
    fill(s, 1, 3);
    CHECK(error_of([&] { s.set_last_id(sid(2, 9)); }) == errors::stream_errors::setid_below_top);
    CHECK(error_of([&] { s.set_last_id(sid(3, 1), 2); }) == errors::stream_errors::setid_entries_added);
    CHECK(error_of([&] { s.set_last_id(sid(3, 1), 3, sid(3, 2)); }) ==
          errors::stream_errors::setid_below_max_deleted);
    s.set_last_id(sid(3, 1));  // equal to the top entry is fine
    s.set_last_id(sid(10, 0), 50, sid(9, 0));
    CHECK(s.last_id() == sid(10, 0));
    CHECK(s.entries_added() == 50);
    CHECK(s.max_deleted_id() == sid(9, 0));
    s.set_last_id(sid(11, 0), std::nullopt, stream_id{});  // a zero max-deleted ID changes nothing
    CHECK(s.max_deleted_id() == sid(9, 0));
    CHECK(error_of([&] { s.add(sid(10, 0), {{"a", "1"}}); }) == errors::stream_errors::id_too_small);
    CHECK(s.add(stream_add_id::auto_sequence(11), {{"a", "1"}}) == sid(11, 1));

    // An empty stream takes any ID, also one below its last ID (Redis 7.0 has no check there).
    bptree::stream<TestType> e;
    fill(e, 1, 3);
    e.erase({sid(1, 1), sid(2, 1), sid(3, 1)});
    e.set_last_id(sid(1, 0), 0);
    CHECK(e.last_id() == sid(1, 0));
    CHECK(e.entries_added() == 0);
    CHECK(e.add(sid(2, 0), {{"a", "1"}}) == sid(2, 0));
    e.verify();
}

TEMPLATE_TEST_CASE("info and full_info report XINFO STREAM's fields", "[stream][info]", std_backend, bptree_backend) {
    bptree::stream<TestType> s;
    const bptree::stream_info empty = s.info();
    CHECK(empty.length == 0);
    CHECK(empty.radix_tree_keys == 0);
    CHECK(empty.radix_tree_nodes == 1);
    CHECK_FALSE(empty.first_entry);

    fill(s, 1, 4);
    s.erase(sid(1, 1));
    s.create_group("g", stream_id{});
    const bptree::stream_info info = s.info();
    CHECK(info.length == 3);
    CHECK(info.radix_tree_keys == 1);
    CHECK(info.radix_tree_nodes == 2);
    CHECK(info.last_generated_id == sid(4, 1));
    CHECK(info.max_deleted_entry_id == sid(1, 1));
    CHECK(info.entries_added == 4);
    CHECK(info.recorded_first_entry_id == sid(2, 1));
    CHECK(info.groups == 1);
    CHECK(info.first_entry == stream_entry{sid(2, 1), {{"f", "v2"}}});
    CHECK(info.last_entry == stream_entry{sid(4, 1), {{"f", "v4"}}});

    s.read_group("g", "alice", 2, false, 1000);
    const bptree::stream_full_info full = s.full_info(1);
    CHECK(full.length == 3);
    REQUIRE(full.entries.size() == 1);  // COUNT 1
    REQUIRE(full.groups.size() == 1);
    CHECK(full.groups[0].pel_count == 2);
    REQUIRE(full.groups[0].pending.size() == 1);
    CHECK(full.groups[0].pending[0].id == sid(2, 1));
    CHECK(full.groups[0].pending[0].consumer == "alice");
    CHECK(full.groups[0].pending[0].delivery_time == 1000);
    REQUIRE(full.groups[0].consumers.size() == 1);
    CHECK(full.groups[0].consumers[0].seen_time == 1000);
    CHECK(full.groups[0].consumers[0].pel_count == 2);
    CHECK(full.groups[0].consumers[0].pending.size() == 1);
    CHECK(s.full_info(0).entries.size() == 3);  // COUNT 0: everything
}

TEMPLATE_TEST_CASE("entries share the field names of their node's first entry", "[stream][storage]", std_backend,
                   bptree_backend) {
    bptree::stream<TestType> s;
    s.add(sid(1, 0), {{"temp", "20"}, {"unit", "c"}});
    s.add(sid(2, 0), {{"temp", "21"}, {"unit", "c"}});
    s.add(sid(3, 0), {{"temp", "22"}});                  // other names: stored inline
    s.add(sid(4, 0), {{"unit", "c"}, {"temp", "23"}});  // other order: stored inline
    CHECK(s.find(sid(1, 0))->second.shares_names());
    CHECK(s.find(sid(2, 0))->second.shares_names());
    CHECK_FALSE(s.find(sid(3, 0))->second.shares_names());
    CHECK_FALSE(s.find(sid(4, 0))->second.shares_names());
    CHECK(s.range(sid(2, 0), sid(2, 0))[0].fields == field_list{{"temp", "21"}, {"unit", "c"}});

    bptree::stream<TestType> plain(bptree::stream_config{4096, 100, false});
    plain.add(sid(1, 0), {{"temp", "20"}});
    plain.add(sid(2, 0), {{"temp", "21"}});
    CHECK_FALSE(plain.find(sid(2, 0))->second.shares_names());
    CHECK(plain.range() == std::vector<stream_entry>{{sid(1, 0), {{"temp", "20"}}}, {sid(2, 0), {{"temp", "21"}}}});
    s.verify();
    plain.verify();
}

TEMPLATE_TEST_CASE("copies are equal and independent", "[stream][copy]", std_backend, bptree_backend) {
    bptree::stream<TestType> s;
    fill(s, 1, 150);
    s.create_group("g", stream_id{});
    s.read_group("g", "alice", 5, false, 10);
    bptree::stream<TestType> copy = s;
    CHECK(copy == s);
    copy.verify();
    copy.erase(sid(1, 1));
    CHECK(copy != s);
    CHECK(s.contains(sid(1, 1)));
    CHECK(s.pending("g").count == 5);
    CHECK(copy.pending("g").count == 5);  // its PEL points at its own consumers
    CHECK(copy.ack("g", {sid(2, 1)}) == 1);
    CHECK(s.pending("g").count == 5);
    copy.verify();
    s.verify();
    bptree::stream<TestType> moved = std::move(copy);
    CHECK(moved.pending("g").count == 4);
    moved.verify();
}
