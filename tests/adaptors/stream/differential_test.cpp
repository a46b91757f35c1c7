// bptree::stream against the brute-force model of stream_model.hpp, on every backend: random
// sequences of every typed member (adds of all ID forms, both trims with and without LIMIT,
// deletes, XSETID, reads, consumer groups with a fake clock). After every call the results, the
// error texts and the whole observable state must agree, verify() must pass, and a call that
// threw must have left the stream equal to a copy taken before it.
#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "stream_model.hpp"
#include "support/test_seed.hpp"

namespace {

using namespace stream_test;
using bptree::stream_trim;

constexpr std::size_t node_entries = 4;  // small logical nodes: '~' trims whole nodes often

template <class Backend>
class differential {
public:
    explicit differential(std::uint64_t seed)
        : rng_(seed), model_(node_entries), stream_(bptree::stream_config{0, node_entries, true}) {}

    void run(int steps) {
        for (int step = 0; step < steps; ++step) {
            now_ += uniform(0, 400);
            if (model_.last_id.ms == stream_id::max().ms && chance(10)) {  // exhausted: start over
                model_ = stream_model(node_entries);
                stream_ = bptree::stream<Backend>(bptree::stream_config{0, node_entries, true});
            }
            INFO("step " << step);
            one_step();
            stream_.verify();
            compare_state();
        }
    }

private:
    int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
    bool chance(int percent) { return uniform(0, 99) < percent; }

    stream_id random_id() {
        if (chance(50) && !model_.entries.empty()) {
            return model_.entries[static_cast<std::size_t>(uniform(0, static_cast<int>(model_.entries.size()) - 1))].id;
        }
        if (chance(2)) return stream_id{};
        return sid(static_cast<std::uint64_t>(uniform(0, 60)), static_cast<std::uint64_t>(uniform(0, 3)));
    }
    std::vector<stream_id> random_ids() {
        std::vector<stream_id> ids;
        for (int n = uniform(1, 4); n > 0; --n) ids.push_back(random_id());
        return ids;
    }
    std::string group() { return chance(90) ? (chance(60) ? "g1" : "g2") : "nog"; }
    std::string consumer() { return chance(50) ? "alice" : (chance(50) ? "bob" : "carol"); }
    field_list fields() {
        field_list f;
        const int n = uniform(1, 3);
        for (int i = 0; i < n; ++i) {
            f.emplace_back(chance(80) ? std::string(1, static_cast<char>('a' + i)) : "x", std::to_string(uniform(0, 999)));
        }
        return f;
    }
    stream_trim trim() {
        const bool approx = chance(50);
        std::optional<std::uint64_t> limit;
        if (chance(25)) limit = static_cast<std::uint64_t>(uniform(0, 12));
        if (chance(50)) return stream_trim::max_length(static_cast<std::uint64_t>(uniform(0, 250)), approx, limit);
        if (chance(70) && !model_.entries.empty()) {  // near the front: a few entries go
            const auto i = static_cast<std::size_t>(uniform(0, 12));
            return stream_trim::min_id(model_.entries[std::min(i, model_.entries.size() - 1)].id, approx, limit);
        }
        return stream_trim::min_id(random_id(), approx, limit);
    }

    // Runs op on the stream and model_op on the model; both must return equal results or throw
    // the same text, and a throw must leave the stream unchanged.
    template <class Op, class ModelOp>
    void same(const char* what, Op op, ModelOp model_op) {
        INFO(what);
        const bptree::stream<Backend> before = stream_;
        std::string stream_error;
        std::string model_error;
        decltype(op()) result{};
        decltype(model_op()) expected{};
        try {
            result = op();
        } catch (const bptree::error& e) {
            stream_error = e.what();
        }
        try {
            expected = model_op();
        } catch (const bptree::error& e) {
            model_error = e.what();
        }
        REQUIRE(stream_error == model_error);
        if (!stream_error.empty()) {
            REQUIRE(stream_ == before);
            return;
        }
        REQUIRE(result == expected);
    }

    static std::vector<bptree::stream_entry> as_entries(const std::vector<stream_model::entry>& v) {
        std::vector<bptree::stream_entry> out;
        for (const auto& e : v) out.push_back(bptree::stream_entry{e.id, e.fields});
        return out;
    }

    void one_step() {
        const int roll = uniform(0, 99);
        if (roll < 40) {
            const field_list f = fields();
            const int form = uniform(0, 9) < 7 ? 0 : uniform(1, 2);
            stream_id id = random_id();
            if (form == 0 && chance(85)) id = sid(model_.last_id.ms + static_cast<std::uint64_t>(uniform(0, 2)), static_cast<std::uint64_t>(uniform(0, 4)));
            if (uniform(0, 999) < 2) id = stream_id::max();  // exhausts the stream (then it is started over)
            const bptree::stream_add_id spec = form == 0   ? bptree::stream_add_id(id)
                                               : form == 1 ? bptree::stream_add_id::auto_sequence(id.ms)
                                                           : bptree::stream_add_id::automatic(now_ / 100);
            const std::optional<stream_trim> t = chance(15) ? std::optional<stream_trim>(trim()) : std::nullopt;
            same("add", [&] { return stream_.add(spec, f, t); },
                 [&] {
                     if (t && t->limit && !t->approximate) {
                         throw bptree::error(bptree::detail::stream_errors::limit_without_tilde);
                     }
                     const stream_id added = model_.add(form, id, now_ / 100, f);
                     if (t) model_.trim(*t);
                     return added;
                 });
        } else if (roll < 43) {
            const stream_trim t = trim();
            same("trim", [&] { return stream_.trim(t); }, [&] { return model_.trim(t); });
        } else if (roll < 47) {
            const std::vector<stream_id> ids = random_ids();
            same("erase", [&] { return stream_.erase(ids); }, [&] { return model_.erase(ids); });
        } else if (roll < 49) {
            const stream_id id = chance(60) ? sid(model_.last_id.ms + static_cast<std::uint64_t>(uniform(0, 1)), 0) : random_id();
            std::optional<std::uint64_t> added;
            std::optional<stream_id> maxdel;
            if (chance(30)) added = static_cast<std::uint64_t>(uniform(0, 80));
            if (chance(30)) maxdel = random_id();
            same("set_last_id", [&] { stream_.set_last_id(id, added, maxdel); return 0; },
                 [&] { model_.set_last_id(id, added, maxdel); return 0; });
        } else if (roll < 54) {
            const bptree::stream_bound lo(random_id(), chance(20));
            const bptree::stream_bound hi(random_id(), chance(20));
            const auto count = static_cast<std::size_t>(uniform(0, 5));
            const bool reverse = chance(40);
            same("range", [&] { return reverse ? stream_.reverse_range(lo, hi, count) : stream_.range(lo, hi, count); },
                 [&] {
                     const stream_id a = bptree::detail::inclusive_start(lo);
                     const stream_id b = bptree::detail::inclusive_end(hi);
                     return as_entries(model_.range(a, b, count, reverse));
                 });
        } else if (roll < 57) {
            const stream_id after = random_id();
            const auto count = static_cast<std::size_t>(uniform(0, 3));
            same("read_after", [&] { return stream_.read_after(after, count); },
                 [&] {
                     stream_id from = after;
                     if (!bptree::detail::increment_stream_id(from)) return std::vector<bptree::stream_entry>{};
                     return as_entries(model_.range(from, stream_id::max(), count, false));
                 });
        } else if (roll < 65) {
            group_admin();
        } else if (roll < 80) {
            const std::string g = group();
            const std::string c = consumer();
            const auto count = static_cast<std::size_t>(uniform(0, 3));
            if (chance(70)) {
                const bool noack = chance(20);
                same("read_group", [&] { return stream_.read_group(g, c, count, noack, now_); },
                     [&] { return as_entries(model_.read_group(g, c, count, noack, now_)); });
            } else {
                const stream_id after = chance(60) ? stream_id{} : random_id();
                same("read_group_history", [&] { return stream_.read_group_history(g, c, after, count, now_); },
                     [&] {
                         if (after == stream_id::max()) {
                             model_.require(g).consumers[c] = now_;
                             return std::vector<bptree::stream_entry>{};
                         }
                         return as_entries(model_.read_history(g, c, after, count, now_));
                     });
            }
        } else if (roll < 86) {
            const std::string g = group();
            const std::vector<stream_id> ids = pending_ids(g);
            same("ack", [&] { return stream_.ack(g, ids); }, [&] { return model_.ack(g, ids); });
        } else if (roll < 91) {
            const std::string g = group();
            const std::string c = consumer();
            const std::int64_t min_idle = chance(50) ? 0 : uniform(0, 3000);
            const std::vector<stream_id> ids = pending_ids(g);
            bptree::stream_claim_options o;
            o.force = chance(25);
            if (chance(20)) o.retry_count = static_cast<std::uint64_t>(uniform(0, 9));
            if (chance(20)) o.delivery_time = now_ - uniform(-500, 5000);
            if (chance(15)) o.last_id = random_id();
            const bool justid = chance(40);
            same("claim", [&] { return justid ? stream_.claim_ids(g, c, min_idle, ids, o, now_) : ids_of(stream_.claim(g, c, min_idle, ids, o, now_)); },
                 [&] { return model_.claim(g, c, min_idle, ids, o, now_, justid); });
        } else {
            const std::string g = group();
            const std::string c = consumer();
            const std::int64_t min_idle = chance(50) ? 0 : uniform(0, 3000);
            const stream_id start = random_id();
            const auto count = static_cast<std::size_t>(uniform(0, 4));
            const bool justid = chance(40);
            same("autoclaim", [&] {
                     auto r = justid ? stream_.autoclaim_ids(g, c, min_idle, start, count, now_)
                                     : ids_of(stream_.autoclaim(g, c, min_idle, start, count, now_));
                     return std::make_tuple(r.next, r.claimed, r.deleted);
                 },
                 [&] {
                     if (count == 0) throw bptree::error(bptree::detail::stream_errors::autoclaim_count);
                     auto r = model_.autoclaim(g, c, min_idle, start, count, now_, justid);
                     return std::make_tuple(r.next, r.claimed, r.deleted);
                 });
        }
    }

    static std::vector<stream_id> ids_of(const std::vector<bptree::stream_entry>& v) {
        std::vector<stream_id> out;
        for (const auto& e : v) out.push_back(e.id);
        return out;
    }
    static bptree::stream_autoclaim_result<stream_id> ids_of(bptree::stream_autoclaim_result<bptree::stream_entry>&& r) {
        bptree::stream_autoclaim_result<stream_id> out;
        out.next = r.next;
        out.claimed = ids_of(r.claimed);
        out.deleted = std::move(r.deleted);
        return out;
    }

    std::vector<stream_id> pending_ids(const std::string& g) {
        std::vector<stream_id> ids;
        const auto it = model_.groups.find(g);
        for (int n = uniform(1, 3); n > 0; --n) {
            if (it != model_.groups.end() && !it->second.pel.empty() && chance(70)) {
                auto p = it->second.pel.begin();
                std::advance(p, uniform(0, static_cast<int>(it->second.pel.size()) - 1));
                ids.push_back(p->first);
            } else {
                ids.push_back(random_id());
            }
        }
        return ids;
    }

    void group_admin() {
        const std::string g = group();
        const std::string c = consumer();
        switch (chance(40) ? 0 : uniform(1, 4)) {
            case 0: {
                const stream_id id = chance(50) ? model_.last_id : random_id();
                const long long read = chance(60) ? -1 : uniform(0, 30);
                same("create_group", [&] { stream_.create_group(g, id, read); return 0; },
                     [&] { model_.create_group(g, id, read); return 0; });
                break;
            }
            case 1: {
                const stream_id id = random_id();
                const long long read = chance(60) ? -1 : uniform(0, 30);
                same("set_group_id", [&] { stream_.set_group_id(g, id, read); return 0; },
                     [&] {
                         auto& gr = model_.require(g);
                         gr.last = id;
                         gr.entries_read = read;
                         return 0;
                     });
                break;
            }
            case 2:
                same("destroy_group", [&] { return stream_.destroy_group(g); }, [&] { return model_.groups.erase(g) == 1; });
                break;
            case 3:
                same("create_consumer", [&] { return stream_.create_consumer(g, c, now_); },
                     [&] { return model_.require(g).consumers.emplace(c, now_).second; });
                break;
            default:
                same("delete_consumer", [&] { return stream_.delete_consumer(g, c); },
                     [&] {
                         auto& gr = model_.require(g);
                         if (gr.consumers.erase(c) == 0) return std::size_t{0};
                         std::size_t n = 0;
                         for (auto it = gr.pel.begin(); it != gr.pel.end();) {
                             if (it->second.owner == c) {
                                 it = gr.pel.erase(it);
                                 ++n;
                             } else {
                                 ++it;
                             }
                         }
                         return n;
                     });
        }
    }

    // Every observable figure: entries, counters, nodes, groups, PELs, consumers.
    void compare_state() {
        REQUIRE(stream_.size() == model_.entries.size());
        REQUIRE(stream_.range() == as_entries(model_.entries));
        REQUIRE(stream_.last_id() == model_.last_id);
        REQUIRE(stream_.first_id() == model_.first_id);
        REQUIRE(stream_.max_deleted_id() == model_.max_deleted);
        REQUIRE(stream_.entries_added() == model_.entries_added);
        const bptree::stream_info info = stream_.info();
        REQUIRE(info.radix_tree_keys == model_.nodes.size());
        REQUIRE(info.groups == model_.groups.size());
        const auto groups = stream_.groups_info();
        REQUIRE(groups.size() == model_.groups.size());
        auto mg = model_.groups.begin();
        for (const auto& g : groups) {
            INFO("group " << g.name);
            REQUIRE(g.name == mg->first);
            REQUIRE(g.last_delivered_id == mg->second.last);
            REQUIRE(g.entries_read == (mg->second.entries_read == -1 ? std::nullopt : std::optional<long long>(mg->second.entries_read)));
            REQUIRE(g.lag == model_.lag(mg->second));
            REQUIRE(g.pending == mg->second.pel.size());
            REQUIRE(g.consumers == mg->second.consumers.size());
            const auto pending = stream_.pending(g.name, stream_id::min(), stream_id::max(), 1000, now_);
            REQUIRE(pending.size() == mg->second.pel.size());
            auto mp = mg->second.pel.begin();
            for (const auto& p : pending) {
                REQUIRE(p.id == mp->first);
                REQUIRE(p.consumer == mp->second.owner);
                REQUIRE(p.idle == std::max<std::int64_t>(now_ - mp->second.time, 0));
                REQUIRE(p.delivery_count == mp->second.count);
                ++mp;
            }
            const auto consumers = stream_.consumers_info(g.name, now_);
            auto mc = mg->second.consumers.begin();
            for (const auto& c : consumers) {
                REQUIRE(c.name == mc->first);
                REQUIRE(c.idle == std::max<std::int64_t>(now_ - mc->second, 0));
                std::size_t owned = 0;
                for (const auto& p : mg->second.pel) owned += p.second.owner == c.name ? 1 : 0;
                REQUIRE(c.pending == owned);
                ++mc;
            }
            ++mg;
        }
    }

    std::mt19937_64 rng_;
    std::int64_t now_ = 1000000;
    stream_model model_;
    bptree::stream<Backend> stream_;
};

}  // namespace

TEMPLATE_TEST_CASE("a stream agrees with the reference model on random command sequences", "[stream][differential]",
                   std_backend, bptree_backend, tiny_bptree_backend) {
    const std::uint64_t seed = bptree_test::test_seed(0x5eed5742);
    const int steps = static_cast<int>(3000 * bptree_test::test_scale());
    for (std::uint64_t run = 0; run < 3; ++run) {
        INFO("seed " << seed + run);
        differential<TestType>(seed + run).run(steps);
    }
}
