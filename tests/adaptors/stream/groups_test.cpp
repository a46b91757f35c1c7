// Consumer groups on bptree::stream with a fake clock: XGROUP's subcommands, XREADGROUP (new
// entries and history, COUNT, NOACK), XACK, XPENDING (summary, extended, IDLE, consumer), XCLAIM
// (IDLE/TIME, RETRYCOUNT, FORCE, JUSTID, LASTID), XAUTOCLAIM (COUNT, JUSTID, cursor, deleted
// entries), XINFO GROUPS / CONSUMERS with Redis 7.0's entries-read and lag. The lag scenarios
// are the ones replayed on redis-server 7.0.15 (its replies are quoted in the comments).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "stream_model.hpp"

using namespace stream_test;
using bptree::stream_claim_options;
using bptree::stream_entry;
namespace errors = bptree::detail;

namespace {

template <class Stream>
void fill(Stream& s, std::uint64_t first, std::uint64_t n) {
    for (std::uint64_t i = first; i < first + n; ++i) s.add(sid(i, 1), {{"f", "v" + std::to_string(i)}});
}

std::vector<stream_id> ids_of(const std::vector<stream_entry>& entries) {
    std::vector<stream_id> ids;
    for (const auto& e : entries) ids.push_back(e.id);
    return ids;
}

template <class Stream>
const bptree::stream_group_info& group_info(const Stream& s, const std::string& name, std::vector<bptree::stream_group_info>& keep) {
    keep = s.groups_info();
    for (const auto& g : keep) {
        if (g.name == name) return g;
    }
    FAIL("no group " << name);
    return keep.front();
}

template <class Stream>
std::optional<long long> lag_of(const Stream& s, const std::string& name) {
    std::vector<bptree::stream_group_info> keep;
    return group_info(s, name, keep).lag;
}
template <class Stream>
std::optional<long long> read_of(const Stream& s, const std::string& name) {
    std::vector<bptree::stream_group_info> keep;
    return group_info(s, name, keep).entries_read;
}

constexpr std::optional<long long> unknown = std::nullopt;

}  // namespace

TEMPLATE_TEST_CASE("XGROUP: create, set the ID, add and delete consumers, destroy", "[stream][groups]", std_backend,
                   bptree_backend) {
    bptree::stream<TestType> s;
    fill(s, 1, 5);
    s.create_group("g", stream_id{});
    CHECK(error_of([&] { s.create_group("g", sid(3, 0)); }) == errors::stream_errors::busygroup);
    CHECK(error_of([&] { s.create_group("h", sid(3, 0), -2); }) == errors::stream_errors::entries_read_range);
    CHECK(s.group_count() == 1);
    CHECK(s.create_consumer("g", "alice", 100));
    CHECK_FALSE(s.create_consumer("g", "alice", 200));
    CHECK(s.consumers_info("g", 250)[0].idle == 150);  // created at 100, not touched at 200
    CHECK(error_of([&] { s.create_consumer("nog", "alice", 0); }) == "NOGROUP No such consumer group 'nog'");

    CHECK(s.read_group("g", "bob", 3, false, 300).size() == 3);
    CHECK(s.delete_consumer("g", "bob") == 3);  // its pending entries go with it
    CHECK(s.pending("g").count == 0);
    CHECK(s.delete_consumer("g", "nobody") == 0);

    s.set_group_id("g", sid(1, 1), 7);
    std::vector<bptree::stream_group_info> keep;
    CHECK(group_info(s, "g", keep).last_delivered_id == sid(1, 1));
    CHECK(read_of(s, "g") == 7);
    s.set_group_id("g", sid(2, 1));
    CHECK(read_of(s, "g") == unknown);  // SETID without ENTRIESREAD forgets the counter
    CHECK(error_of([&] { s.set_group_id("nog", sid(1, 1)); }) == "NOGROUP No such consumer group 'nog'");

    CHECK(s.destroy_group("g"));
    CHECK_FALSE(s.destroy_group("g"));
    CHECK(s.group_count() == 0);
    s.verify();
}

TEMPLATE_TEST_CASE("read_group delivers new entries and records them as pending", "[stream][groups]", std_backend,
                   bptree_backend) {
    bptree::stream<TestType> s;
    fill(s, 1, 5);
    s.create_group("g", stream_id{});
    CHECK(ids_of(s.read_group("g", "alice", 2, false, 1000)) == std::vector<stream_id>{sid(1, 1), sid(2, 1)});
    CHECK(ids_of(s.read_group("g", "bob", 0, false, 1500)) == std::vector<stream_id>{sid(3, 1), sid(4, 1), sid(5, 1)});
    CHECK(s.read_group("g", "carol", 0, false, 1600).empty());  // nothing new:
    CHECK(s.consumers_info("g", 2000).size() == 2);              // carol was not created

    const auto pending = s.pending("g", stream_id::min(), stream_id::max(), 10, 2000);
    REQUIRE(pending.size() == 5);
    CHECK(pending[0].consumer == "alice");
    CHECK(pending[0].idle == 1000);
    CHECK(pending[0].delivery_count == 1);
    CHECK(pending[4].consumer == "bob");
    CHECK(pending[4].idle == 500);

    // NOACK moves the group on without pending entries.
    s.add(sid(6, 0), {{"a", "1"}});
    CHECK(ids_of(s.read_group("g", "carol", 0, true, 2100)) == std::vector<stream_id>{sid(6, 0)});
    CHECK(s.pending("g").count == 5);
    std::vector<bptree::stream_group_info> keep;
    CHECK(group_info(s, "g", keep).last_delivered_id == sid(6, 0));
    CHECK(read_of(s, "g") == 6);
    CHECK(lag_of(s, "g") == 0);
    s.verify();
}

TEMPLATE_TEST_CASE("read_group_history replays the consumer's own pending entries", "[stream][groups]", std_backend,
                   bptree_backend) {
    bptree::stream<TestType> s;
    fill(s, 1, 4);
    s.create_group("g", stream_id{});
    s.read_group("g", "alice", 3, false, 100);
    s.read_group("g", "bob", 1, false, 100);
    s.erase(sid(2, 1));

    const auto history = s.read_group_history("g", "alice", stream_id{}, 0, 500);
    REQUIRE(history.size() == 3);
    CHECK(history[0] == stream_entry{sid(1, 1), {{"f", "v1"}}});
    CHECK(history[1] == stream_entry{sid(2, 1), {}});  // deleted from the stream: no fields
    CHECK(history[2].id == sid(3, 1));
    const auto pending = s.pending("g", stream_id::min(), stream_id::max(), 10, 600, 0, std::string_view("alice"));
    REQUIRE(pending.size() == 3);
    CHECK(pending[0].delivery_count == 2);  // delivered again at 500
    CHECK(pending[0].idle == 100);
    CHECK(pending[1].delivery_count == 1);  // the deleted one is not
    CHECK(pending[1].idle == 500);

    CHECK(ids_of(s.read_group_history("g", "alice", sid(1, 1), 1, 700)) == std::vector<stream_id>{sid(2, 1)});
    CHECK(s.read_group_history("g", "carol", stream_id{}, 0, 700).empty());  // creates carol
    CHECK(s.consumers_info("g", 700).size() == 3);
    s.verify();
}

TEMPLATE_TEST_CASE("delivering an entry pending elsewhere moves it to the reader", "[stream][groups]", std_backend,
                   bptree_backend) {
    bptree::stream<TestType> s;
    fill(s, 1, 2);
    s.create_group("g", stream_id{});
    s.read_group("g", "alice", 0, false, 100);
    s.read_group_history("g", "alice", stream_id{}, 0, 200);  // delivery count 2
    s.set_group_id("g", stream_id{});
    s.read_group("g", "bob", 1, false, 300);
    const auto pending = s.pending("g", stream_id::min(), stream_id::max(), 10, 300);
    REQUIRE(pending.size() == 2);
    CHECK(pending[0].consumer == "bob");
    CHECK(pending[0].delivery_count == 1);
    CHECK(pending[1].consumer == "alice");
    const auto summary = s.pending("g");
    CHECK(summary.consumers == std::vector<std::pair<std::string, std::size_t>>{{"alice", 1}, {"bob", 1}});
    s.verify();
}

TEMPLATE_TEST_CASE("ack and the two forms of pending", "[stream][groups]", std_backend, bptree_backend) {
    bptree::stream<TestType> s;
    fill(s, 1, 6);
    s.create_group("g", stream_id{});
    s.read_group("g", "bob", 3, false, 0);
    s.read_group("g", "alice", 3, false, 5000);
    CHECK(s.ack("g", {sid(2, 1), sid(2, 1), sid(9, 9)}) == 1);
    CHECK(s.ack("nog", {sid(1, 1)}) == 0);

    const auto summary = s.pending("g");
    CHECK(summary.count == 5);
    CHECK(summary.first == sid(1, 1));
    CHECK(summary.last == sid(6, 1));
    CHECK(summary.consumers == std::vector<std::pair<std::string, std::size_t>>{{"alice", 3}, {"bob", 2}});

    // IDLE keeps entries idle at least that long; COUNT counts only what is returned.
    auto idle = s.pending("g", stream_id::min(), stream_id::max(), 10, 6000, 2000);
    CHECK(idle.size() == 2);
    CHECK(idle[0].idle == 6000);
    idle = s.pending("g", stream_id::min(), stream_id::max(), 1, 6000, 2000);
    CHECK(idle.size() == 1);
    // Bounds, exclusive ones too, and a consumer filter.
    auto some = s.pending("g", bptree::stream_bound::exclusive_of(sid(1, 1)), sid(5, 1), 10, 6000);
    CHECK(some.size() == 3);
    some = s.pending("g", stream_id::min(), stream_id::max(), 10, 6000, 0, std::string_view("alice"));
    CHECK(some.size() == 3);
    CHECK(s.pending("g", stream_id::min(), stream_id::max(), 10, 6000, 0, std::string_view("nobody")).empty());
    CHECK(s.pending("g", stream_id::min(), stream_id::max(), 0, 6000).empty());  // COUNT 0
    // An idle time is never negative (a delivery "in the future" of the caller's clock).
    CHECK(s.pending("g", stream_id::min(), stream_id::max(), 10, 100)[3].idle == 0);

    bptree::stream<TestType> empty;
    empty.create_group("g", stream_id{});
    const auto none = empty.pending("g");
    CHECK(none.count == 0);
    CHECK_FALSE(none.first);
    CHECK(none.consumers.empty());
}

TEMPLATE_TEST_CASE("claim moves idle entries and honours its options", "[stream][groups][claim]", std_backend,
                   bptree_backend) {
    bptree::stream<TestType> s;
    fill(s, 1, 5);
    s.create_group("g", stream_id{});
    s.read_group("g", "bob", 4, false, 1000);

    stream_claim_options none;
    // Not idle long enough: nothing moves, alice is not even created.
    CHECK(s.claim("g", "alice", 5000, std::vector<stream_id>{sid(1, 1)}, none, 2000).empty());
    CHECK(s.consumers_info("g", 2000).size() == 1);

    const auto claimed = s.claim("g", "alice", 500, std::vector<stream_id>{sid(1, 1), sid(5, 1)}, none, 2000);
    CHECK(claimed == std::vector<stream_entry>{{sid(1, 1), {{"f", "v1"}}}});  // 5-1 is not pending
    auto p = s.pending("g", sid(1, 1), sid(1, 1), 1, 2000)[0];
    CHECK(p.consumer == "alice");
    CHECK(p.delivery_count == 2);
    CHECK(p.idle == 0);

    // JUSTID leaves the delivery count; RETRYCOUNT sets it; TIME sets the delivery time.
    stream_claim_options o;
    o.retry_count = 7;
    o.delivery_time = 1500;
    CHECK(s.claim_ids("g", "carol", 0, std::vector<stream_id>{sid(2, 1)}, o, 2000) == std::vector<stream_id>{sid(2, 1)});
    p = s.pending("g", sid(2, 1), sid(2, 1), 1, 2000)[0];
    CHECK(p.delivery_count == 7);
    CHECK(p.idle == 500);
    CHECK(s.claim_ids("g", "carol", 0, std::vector<stream_id>{sid(2, 1)}, none, 2100) == std::vector<stream_id>{sid(2, 1)});
    CHECK(s.pending("g", sid(2, 1), sid(2, 1), 1, 2100)[0].delivery_count == 7);

    // A delivery time in the future or before the epoch means now.
    o = stream_claim_options{};
    o.delivery_time = 99999;
    s.claim_ids("g", "carol", 0, std::vector<stream_id>{sid(3, 1)}, o, 3000);
    CHECK(s.pending("g", sid(3, 1), sid(3, 1), 1, 3000)[0].idle == 0);
    o.delivery_time = -5;
    s.claim_ids("g", "carol", 0, std::vector<stream_id>{sid(3, 1)}, o, 3500);
    CHECK(s.pending("g", sid(3, 1), sid(3, 1), 1, 3500)[0].idle == 0);

    // FORCE claims existing entries that are not pending (count 2, as Redis: a new NACK is 1,
    // then the claim adds one) but never IDs that are not in the stream.
    o = stream_claim_options{};
    o.force = true;
    CHECK(ids_of(s.claim("g", "dave", 999999, std::vector<stream_id>{sid(5, 1), sid(8, 8)}, o, 4000)) ==
          std::vector<stream_id>{sid(5, 1)});
    CHECK(s.pending("g", sid(5, 1), sid(5, 1), 1, 4000)[0].delivery_count == 2);
    s.ack("g", {sid(5, 1)});
    CHECK(s.claim_ids("g", "dave", 0, std::vector<stream_id>{sid(5, 1)}, o, 4000) == std::vector<stream_id>{sid(5, 1)});
    CHECK(s.pending("g", sid(5, 1), sid(5, 1), 1, 4000)[0].delivery_count == 1);  // JUSTID: the new NACK's 1
    CHECK(s.pending("g").count == 5);

    // A pending entry deleted from the stream leaves the PEL when claimed; LASTID raises the group.
    s.erase(sid(4, 1));
    o = stream_claim_options{};
    o.last_id = sid(9, 0);
    CHECK(s.claim("g", "alice", 0, std::vector<stream_id>{sid(4, 1)}, o, 5000).empty());
    CHECK(s.pending("g").count == 4);
    std::vector<bptree::stream_group_info> keep;
    CHECK(group_info(s, "g", keep).last_delivered_id == sid(9, 0));
    o.last_id = sid(2, 0);  // never lowers it
    s.claim("g", "alice", 0, std::vector<stream_id>{}, o, 5000);
    CHECK(group_info(s, "g", keep).last_delivered_id == sid(9, 0));
    s.verify();
}

TEMPLATE_TEST_CASE("autoclaim scans the PEL from a cursor", "[stream][groups][claim]", std_backend, bptree_backend) {
    bptree::stream<TestType> s;
    fill(s, 1, 6);
    s.create_group("g", stream_id{});
    s.read_group("g", "bob", 0, false, 1000);
    s.erase({sid(2, 1), sid(3, 1)});

    // COUNT 1: 1-1 is claimed, the cursor is the next pending ID.
    auto r = s.autoclaim_ids("g", "alice", 0, stream_id{}, 1, 2000);
    CHECK(r.claimed == std::vector<stream_id>{sid(1, 1)});
    CHECK(r.next == sid(2, 1));
    CHECK(r.deleted.empty());
    // Deleted entries leave the PEL and use up COUNT.
    r = s.autoclaim_ids("g", "alice", 0, bptree::stream_bound::exclusive_of(sid(1, 1)), 2, 2000);
    CHECK(r.claimed.empty());
    CHECK(r.deleted == std::vector<stream_id>{sid(2, 1), sid(3, 1)});
    CHECK(r.next == sid(4, 1));
    // Entries not idle enough are skipped, but only 10 * COUNT entries are examined.
    auto full = s.autoclaim("g", "carol", 1200, stream_id{}, 100, 2400);  // 1-1 is idle 400 only
    CHECK(ids_of(full.claimed) == std::vector<stream_id>{sid(4, 1), sid(5, 1), sid(6, 1)});
    CHECK(full.next == stream_id{});
    CHECK(full.claimed[0].fields == field_list{{"f", "v4"}});
    const auto p = s.pending("g", sid(4, 1), sid(4, 1), 1, 2400)[0];
    CHECK(p.consumer == "carol");
    CHECK(p.delivery_count == 2);
    // JUSTID does not count a delivery.
    s.autoclaim_ids("g", "dave", 0, stream_id{}, 100, 3000);
    CHECK(s.pending("g", sid(4, 1), sid(4, 1), 1, 3000)[0].delivery_count == 2);
    CHECK(s.pending("g").consumers == std::vector<std::pair<std::string, std::size_t>>{{"dave", 4}});

    bptree::stream<TestType> many;
    fill(many, 1, 30);
    many.create_group("g", stream_id{});
    many.read_group("g", "bob", 0, false, 1000);
    const auto limited = many.autoclaim_ids("g", "alice", 5000, stream_id{}, 2, 1500);  // nothing is idle
    CHECK(limited.claimed.empty());
    CHECK(limited.next == sid(21, 1));  // 20 attempts made

    CHECK(error_of([&] { many.autoclaim_ids("g", "alice", 0, stream_id{}, 0, 0); }) ==
          errors::stream_errors::autoclaim_count);
    CHECK(error_of([&] {
              many.autoclaim_ids("g", "alice", 0, bptree::stream_bound::exclusive_of(stream_id::max()), 1, 0);
          }) == errors::stream_errors::invalid_start);
    many.verify();
}

TEMPLATE_TEST_CASE("consumers_info reports pending counts and idle times", "[stream][groups]", std_backend,
                   bptree_backend) {
    bptree::stream<TestType> s;
    fill(s, 1, 3);
    s.create_group("g", stream_id{});
    s.read_group("g", "bob", 2, false, 100);
    s.create_consumer("g", "alice", 300);
    const auto consumers = s.consumers_info("g", 1000);
    REQUIRE(consumers.size() == 2);
    CHECK(consumers[0].name == "alice");
    CHECK(consumers[0].pending == 0);
    CHECK(consumers[0].idle == 700);
    CHECK(consumers[1].name == "bob");
    CHECK(consumers[1].pending == 2);
    CHECK(consumers[1].idle == 900);
    CHECK(s.consumers_info("g", 50)[1].idle == 0);
}

TEMPLATE_TEST_CASE("entries-read and lag follow Redis 7.0 through deletions", "[stream][groups][lag]", std_backend,
                   bptree_backend) {
    bptree::stream<TestType> s;
    fill(s, 1, 3);
    s.erase({sid(1, 1), sid(2, 1), sid(3, 1)});
    s.create_group("g", stream_id{});
    s.create_group("g2", sid(2, 1));
    // redis: g lag 0, g2 lag 0 (an empty stream: every ID up to the last one has read everything)
    CHECK(lag_of(s, "g") == 0);
    CHECK(lag_of(s, "g2") == 0);
    fill(s, 4, 3);
    // redis: lag 3 for both (no tombstone after the first entry)
    CHECK(lag_of(s, "g") == 3);
    CHECK(lag_of(s, "g2") == 3);
    s.erase(sid(5, 1));
    s.create_group("g3", sid(4, 1));
    s.create_group("g4", sid(5, 1));
    s.create_group("g5", stream_id{});
    // redis: every lag nil (5-1 is a tombstone inside the stream)
    for (const char* g : {"g", "g2", "g3", "g4", "g5"}) CHECK(lag_of(s, g) == unknown);
    s.read_group("g3", "c", 1, false, 0);
    // redis: g3 entries-read 6 lag 0 (it read the last entry)
    CHECK(read_of(s, "g3") == 6);
    CHECK(lag_of(s, "g3") == 0);
    s.read_group("g5", "c", 1, false, 0);
    // redis: g5 last-delivered 4-1, entries-read nil, lag nil
    CHECK(read_of(s, "g5") == unknown);
    CHECK(lag_of(s, "g5") == unknown);
}

TEMPLATE_TEST_CASE("entries-read counts on while no tombstone lies ahead", "[stream][groups][lag]", std_backend,
                   bptree_backend) {
    bptree::stream<TestType> s;
    fill(s, 1, 3);
    s.erase(sid(1, 1));
    s.create_group("g", sid(0, 1));
    CHECK(lag_of(s, "g") == 2);  // redis: entries-read nil lag 2
    s.read_group("g", "c", 1, false, 0);
    CHECK(read_of(s, "g") == 2);  // redis: 2-1 delivered, entries-read 2 lag 1
    CHECK(lag_of(s, "g") == 1);
    s.set_group_id("g", sid(0, 1), 0);
    CHECK(lag_of(s, "g") == 3);  // redis: entries-read 0 lag 3
    s.read_group("g", "c", 1, false, 0);
    CHECK(read_of(s, "g") == 1);  // redis: entries-read 1 lag 2
    CHECK(lag_of(s, "g") == 2);

    // A counter set beyond the stream gives a negative lag, as in Redis.
    s.create_group("big", stream_id{}, 9223372036854775807LL);
    CHECK(lag_of(s, "big") == 3 - 9223372036854775807LL);

    // A fresh stream: lag 0 with no entry ever added.
    bptree::stream<TestType> fresh;
    fresh.create_group("g", stream_id{});
    CHECK(lag_of(fresh, "g") == 0);
}
