// Every error a typed member of bptree::stream throws, with Redis 7.0's exact text, and the
// promise that goes with it: the call changed nothing (the stream equals a copy taken before,
// entries, counters, logical nodes, groups, PELs and consumer times included).
#include <catch2/catch.hpp>

#include <functional>
#include <string>
#include <vector>

#include "stream_model.hpp"

using namespace stream_test;
using bptree::stream_add_id;
using bptree::stream_bound;
using bptree::stream_trim;

namespace {

struct failing_call {
    const char* what;
    std::string error;
};

// A stream with something of everything: entries over two nodes, a deletion, two groups, pending
// entries of two consumers.
template <class Backend>
bptree::stream<Backend> populated() {
    bptree::stream<Backend> s(bptree::stream_config{4096, 10, true});
    for (std::uint64_t i = 1; i <= 15; ++i) s.add(sid(i, 0), {{"f", std::to_string(i)}});
    s.erase(sid(4, 0));
    s.create_group("g", stream_id{});
    s.create_group("h", sid(10, 0), 3);
    s.read_group("g", "alice", 3, false, 1000);
    s.read_group("g", "bob", 2, false, 2000);
    return s;
}

}  // namespace

TEMPLATE_TEST_CASE("every typed error has Redis's text and leaves the stream unchanged", "[stream][errors]",
                   std_backend, bptree_backend, tiny_bptree_backend) {
    namespace e = bptree::detail;
    using stream_type = bptree::stream<TestType>;
    const std::vector<stream_id> ids = {sid(1, 0)};
    const std::vector<std::pair<std::string, std::string>> no_fields;
    const std::vector<std::string> odd = {"a", "1", "b"};
    const std::string nogroup = "NOGROUP No such consumer group 'nog'";

    const std::vector<std::pair<failing_call, std::function<void(stream_type&)>>> calls = {
        {{"add 0-0", e::stream_errors::id_zero}, [](stream_type& s) { s.add(stream_id{}, {{"a", "1"}}); }},
        {{"add equal", e::stream_errors::id_too_small}, [](stream_type& s) { s.add(sid(15, 0), {{"a", "1"}}); }},
        {{"add smaller", e::stream_errors::id_too_small}, [](stream_type& s) { s.add(sid(3, 0), {{"a", "1"}}); }},
        {{"add ms-* behind", e::stream_errors::id_too_small},
         [](stream_type& s) { s.add(stream_add_id::auto_sequence(14), {{"a", "1"}}); }},
        {{"add without fields", e::stream_errors::no_fields}, [&](stream_type& s) { s.add(sid(20, 0), no_fields); }},
        {{"add_flat odd", e::stream_errors::no_fields},
         [&](stream_type& s) { s.add_flat(sid(20, 0), odd.begin(), odd.end()); }},
        {{"add with LIMIT and =", e::stream_errors::limit_without_tilde},
         [](stream_type& s) { s.add(sid(20, 0), {{"a", "1"}}, stream_trim::max_length(1, false, 10)); }},
        {{"trim with LIMIT and =", e::stream_errors::limit_without_tilde},
         [](stream_type& s) { s.trim(stream_trim::min_id(sid(9, 0), false, 0)); }},
        {{"range past max", e::stream_errors::invalid_start},
         [](stream_type& s) { s.range(stream_bound::exclusive_of(stream_id::max()), stream_id::max()); }},
        {{"range before min", e::stream_errors::invalid_end},
         [](stream_type& s) { s.reverse_range(stream_id::min(), stream_bound::exclusive_of(stream_id::min())); }},
        {{"setid below max deleted", e::stream_errors::setid_below_max_deleted},
         [](stream_type& s) { s.set_last_id(sid(20, 0), std::nullopt, sid(21, 0)); }},
        {{"setid below top", e::stream_errors::setid_below_top}, [](stream_type& s) { s.set_last_id(sid(14, 9)); }},
        {{"setid entries added", e::stream_errors::setid_entries_added},
         [](stream_type& s) { s.set_last_id(sid(20, 0), 13); }},
        {{"create existing group", e::stream_errors::busygroup},
         [](stream_type& s) { s.create_group("g", stream_id{}); }},
        {{"create group ENTRIESREAD -2", e::stream_errors::entries_read_range},
         [](stream_type& s) { s.create_group("new", stream_id{}, -2); }},
        {{"setid group ENTRIESREAD -5", e::stream_errors::entries_read_range},
         [](stream_type& s) { s.set_group_id("g", stream_id{}, -5); }},
        {{"setid missing group", nogroup}, [](stream_type& s) { s.set_group_id("nog", stream_id{}); }},
        {{"create consumer", nogroup}, [](stream_type& s) { s.create_consumer("nog", "c", 5); }},
        {{"delete consumer", nogroup}, [](stream_type& s) { s.delete_consumer("nog", "alice"); }},
        {{"read_group", nogroup}, [](stream_type& s) { s.read_group("nog", "c", 0, false, 5); }},
        {{"read_group_history", nogroup}, [](stream_type& s) { s.read_group_history("nog", "c", stream_id{}, 0, 5); }},
        {{"pending summary", nogroup}, [](stream_type& s) { s.pending("nog"); }},
        {{"pending", nogroup}, [](stream_type& s) { s.pending("nog", stream_id::min(), stream_id::max(), 5, 5); }},
        {{"pending past max", e::stream_errors::invalid_start},
         [](stream_type& s) { s.pending("g", stream_bound::exclusive_of(stream_id::max()), stream_id::max(), 5, 5); }},
        {{"claim", nogroup}, [&](stream_type& s) { s.claim("nog", "c", 0, ids, {}, 5); }},
        {{"claim_ids", nogroup}, [&](stream_type& s) { s.claim_ids("nog", "c", 0, ids, {}, 5); }},
        {{"autoclaim", nogroup}, [](stream_type& s) { s.autoclaim("nog", "c", 0, stream_id{}, 1, 5); }},
        {{"autoclaim COUNT 0", e::stream_errors::autoclaim_count},
         [](stream_type& s) { s.autoclaim("g", "c", 0, stream_id{}, 0, 5); }},
        {{"autoclaim COUNT too large", e::stream_errors::autoclaim_count},
         [](stream_type& s) { s.autoclaim_ids("g", "c", 0, stream_id{}, e::autoclaim_max_count + 1, 5); }},
        {{"consumers_info", nogroup}, [](stream_type& s) { s.consumers_info("nog", 5); }},
    };

    for (const auto& entry : calls) {  // (no structured binding: clang 14 cannot capture one)
        const failing_call& call = entry.first;
        const auto& run = entry.second;
        INFO(call.what);
        stream_type s = populated<TestType>();
        const stream_type before = s;
        CHECK(error_of([&] { run(s); }) == call.error);
        CHECK(s == before);
        s.verify();
    }

    // After the last possible ID every add fails the same way.
    stream_type full = populated<TestType>();
    full.add(stream_id::max(), {{"a", "1"}});
    const stream_type before = full;
    CHECK(error_of([&] { full.add(stream_add_id::automatic(5), {{"a", "1"}}); }) == e::stream_errors::exhausted);
    CHECK(error_of([&] { full.add(sid(1, 0), {{"a", "1"}}); }) == e::stream_errors::exhausted);
    CHECK(full == before);
}

TEMPLATE_TEST_CASE("calls that find nothing to do change nothing either", "[stream][errors]", std_backend,
                   bptree_backend) {
    using stream_type = bptree::stream<TestType>;
    stream_type s = populated<TestType>();
    const stream_type before = s;
    CHECK(s.erase(sid(4, 0)) == false);
    CHECK(s.ack("g", {sid(12, 0)}) == 0);
    CHECK(s.ack("nog", {sid(1, 0)}) == 0);
    CHECK(s.trim(stream_trim::max_length(100)) == 0);
    CHECK(s.trim(stream_trim::min_id(sid(1, 0))) == 0);
    CHECK_FALSE(s.destroy_group("nog"));
    CHECK(s.read_group("h", "carol", 0, false, 99999).size() == 5);  // h is at 10-0: 11..15
    CHECK(s.read_group("h", "dave", 0, false, 99999).empty());      // nothing new: dave not created
    CHECK(s.consumers_info("h", 99999).size() == 1);
    s.ack("h", {sid(11, 0), sid(12, 0), sid(13, 0), sid(14, 0), sid(15, 0)});
    s.set_group_id("h", sid(10, 0), 3);
    s.delete_consumer("h", "carol");
    CHECK(s == before);
}
