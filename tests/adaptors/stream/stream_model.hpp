// Test support for bptree::stream: field helpers, the backends every suite runs on, and a
// brute-force reference model of a Redis 7.0 stream (sorted vectors, linear scans) for the
// differential test. The model keeps logical nodes by entry count only: the differential runs
// streams with node_max_bytes = 0 (no byte limit), and the listpack byte rule is tested on its
// own against figures measured on redis-server (stream_nodes_test.cpp).
#ifndef BPTREE_TESTS_ADAPTORS_STREAM_MODEL_HPP
#define BPTREE_TESTS_ADAPTORS_STREAM_MODEL_HPP

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "bptree/error.hpp"
#include "bptree/stream.hpp"
#include "bptree/traits.hpp"

namespace stream_test {

using bptree::stream_id;
using field_list = std::vector<std::pair<std::string, std::string>>;

// The backends: std::map, bptree::map with its default nodes, and bptree::map with tiny nodes
// that check themselves after every change (deep trees, engine invariants).
using std_backend = bptree::stream_std_map;
using bptree_backend = bptree::stream_bptree_map<>;
using tiny_bptree_backend = bptree::stream_bptree_map<bptree::slot_traits<3, 4, true>>;

inline stream_id sid(std::uint64_t ms, std::uint64_t seq) { return stream_id{ms, seq}; }

// The text of the bptree::error that f throws ("" when it returns).
template <class F>
std::string error_of(F&& f) {
    try {
        f();
    } catch (const bptree::error& e) {
        return e.what();
    }
    return {};
}

// ---------------------------------------------------------------------------- the model

class stream_model {
public:
    struct entry {
        stream_id id;
        field_list fields;
    };
    struct node {
        stream_id key;
        stream_id last;
        std::uint64_t live = 0;
        std::uint64_t deleted = 0;
    };
    struct pending {
        std::string owner;
        std::int64_t time = 0;
        std::uint64_t count = 0;
    };
    struct group {
        stream_id last;
        long long entries_read = -1;
        std::map<stream_id, pending> pel;
        std::map<std::string, std::int64_t> consumers;  // name -> seen time
    };

    explicit stream_model(std::size_t node_max_entries) : node_max_entries_(node_max_entries) {}

    std::vector<entry> entries;
    std::vector<node> nodes;  // by key
    std::map<std::string, group> groups;
    stream_id last_id, first_id, max_deleted;
    std::uint64_t entries_added = 0;
    bool tail_closed = false;

    // ------------------------------------------------------------------ XADD
    // form: 0 explicit, 1 "ms-*", 2 "*" at now.
    stream_id add(int form, stream_id id, std::int64_t now, const field_list& fields) {
        if (form == 0 && id == stream_id{}) throw bptree::error(bptree::detail::stream_errors::id_zero);
        if (last_id == stream_id::max()) throw bptree::error(bptree::detail::stream_errors::exhausted);
        stream_id next = form == 1 ? stream_id{id.ms, 0} : id;
        if (form == 1 && id.ms == last_id.ms) {
            if (last_id.seq == stream_id::max().seq) throw bptree::error(bptree::detail::stream_errors::id_too_small);
            next.seq = last_id.seq + 1;
        } else if (form == 2) {
            const auto ms = static_cast<std::uint64_t>(now);
            next = ms > last_id.ms ? stream_id{ms, 0} : successor(last_id);
        }
        if (!(last_id < next)) throw bptree::error(bptree::detail::stream_errors::id_too_small);
        if (nodes.empty() || tail_closed || nodes.back().live + nodes.back().deleted >= node_max_entries_) {
            nodes.push_back(node{next, next, 0, 0});
            tail_closed = false;
        }
        ++nodes.back().live;
        nodes.back().last = next;
        entries.push_back(entry{next, fields});
        last_id = next;
        ++entries_added;
        if (entries.size() == 1) first_id = next;
        return next;
    }

    // ------------------------------------------------------------------ XDEL
    std::size_t erase(const std::vector<stream_id>& ids) {
        std::size_t deleted = 0;
        for (const stream_id& id : ids) {
            const auto it = find(id);
            if (it == entries.end()) continue;
            node& n = node_of(id);
            if (n.live == 1) {
                nodes.erase(nodes.begin() + (&n - nodes.data()));
            } else {
                --n.live;
                ++n.deleted;
            }
            entries.erase(it);
            ++deleted;
            if (max_deleted < id) max_deleted = id;
        }
        if (deleted != 0) first_id = entries.empty() ? stream_id{} : entries.front().id;
        return deleted;
    }

    // ------------------------------------------------------------------ XTRIM (Redis's loop, literally)
    std::size_t trim(const bptree::stream_trim& t) {
        if (t.limit && !t.approximate) throw bptree::error(bptree::detail::stream_errors::limit_without_tilde);
        const bool by_length = t.by == bptree::stream_trim::strategy::maxlen;
        std::uint64_t limit = 0;
        if (t.approximate) limit = t.limit ? *t.limit : node_max_entries_ ? 100 * node_max_entries_ : 10000;
        std::uint64_t deleted = 0;
        while (!nodes.empty()) {
            node& n = nodes.front();
            if (by_length && entries.size() <= t.maxlen) break;
            if (limit != 0 && deleted + n.live > limit) break;
            const bool whole = by_length ? entries.size() - n.live >= t.maxlen : n.last < t.minid;
            if (whole) {
                deleted += n.live;
                entries.erase(entries.begin(), entries.begin() + static_cast<std::ptrdiff_t>(n.live));
                nodes.erase(nodes.begin());
                continue;
            }
            if (t.approximate) break;
            std::uint64_t marked = 0;
            while (marked < n.live && (by_length ? entries.size() > t.maxlen : entries.front().id < t.minid)) {
                entries.erase(entries.begin());
                ++marked;
            }
            n.live -= marked;
            n.deleted += marked;
            deleted += marked;
            break;
        }
        if (deleted != 0) first_id = entries.empty() ? stream_id{} : entries.front().id;
        return deleted;
    }

    // ------------------------------------------------------------------ XSETID
    void set_last_id(stream_id id, std::optional<std::uint64_t> added, std::optional<stream_id> maxdel) {
        if (maxdel && id < *maxdel) throw bptree::error(bptree::detail::stream_errors::setid_below_max_deleted);
        if (!entries.empty()) {
            if (id < entries.back().id) throw bptree::error(bptree::detail::stream_errors::setid_below_top);
            if (added && entries.size() > *added) throw bptree::error(bptree::detail::stream_errors::setid_entries_added);
        }
        if (!nodes.empty() && id < nodes.back().last) {
            nodes.erase(std::remove_if(nodes.begin(), nodes.end(), [](const node& n) { return n.live == 0; }), nodes.end());
            tail_closed = !nodes.empty();
        }
        last_id = id;
        if (added) entries_added = *added;
        if (maxdel && !(*maxdel == stream_id{})) max_deleted = *maxdel;
    }

    // ------------------------------------------------------------------ reads
    std::vector<entry> range(stream_id lo, stream_id hi, std::size_t count, bool reverse) const {
        std::vector<entry> out;
        for (const entry& e : entries) {
            if (!(e.id < lo) && !(hi < e.id)) out.push_back(e);
        }
        if (reverse) std::reverse(out.begin(), out.end());
        if (count != 0 && out.size() > count) out.resize(count);
        return out;
    }

    // ------------------------------------------------------------------ groups
    void create_group(const std::string& name, stream_id id, long long entries_read) {
        if (groups.count(name)) throw bptree::error(bptree::detail::stream_errors::busygroup);
        groups[name] = group{id, entries_read, {}, {}};
    }

    group& require(const std::string& name) {
        const auto it = groups.find(name);
        if (it == groups.end()) throw bptree::error(bptree::detail::stream_errors::nogroup(name));
        return it->second;
    }

    std::vector<entry> read_group(const std::string& g, const std::string& c, std::size_t count, bool noack,
                                  std::int64_t now) {
        group& gr = require(g);
        std::vector<entry> out;
        if (entries.empty() || !(gr.last < entries.back().id)) return out;
        gr.consumers[c] = now;
        for (const entry& e : entries) {
            if (!(gr.last < e.id)) continue;
            if (gr.entries_read != -1 && !tombstone_after(e.id)) {
                ++gr.entries_read;
            } else if (entries_added != 0) {
                gr.entries_read = estimate(e.id);
            }
            gr.last = e.id;
            out.push_back(e);
            if (!noack) gr.pel[e.id] = pending{c, now, 1};
            if (out.size() == count) break;
        }
        return out;
    }

    std::vector<entry> read_history(const std::string& g, const std::string& c, stream_id after, std::size_t count,
                                    std::int64_t now) {
        group& gr = require(g);
        gr.consumers[c] = now;
        std::vector<entry> out;
        for (auto& [id, p] : gr.pel) {
            if (p.owner != c || !(after < id)) continue;
            const auto it = find(id);
            if (it == entries.end()) {
                out.push_back(entry{id, {}});
            } else {
                out.push_back(*it);
                p.time = now;
                ++p.count;
            }
            if (out.size() == count) break;
        }
        return out;
    }

    std::size_t ack(const std::string& g, const std::vector<stream_id>& ids) {
        const auto it = groups.find(g);
        if (it == groups.end()) return 0;
        std::size_t n = 0;
        for (const stream_id& id : ids) n += it->second.pel.erase(id);
        return n;
    }

    std::vector<stream_id> claim(const std::string& g, const std::string& c, std::int64_t min_idle,
                                 const std::vector<stream_id>& ids, const bptree::stream_claim_options& o,
                                 std::int64_t now, bool justid) {
        group& gr = require(g);
        if (o.last_id && gr.last < *o.last_id) gr.last = *o.last_id;
        std::int64_t time = now;
        if (o.delivery_time && *o.delivery_time >= 0 && *o.delivery_time <= now) time = *o.delivery_time;
        std::vector<stream_id> out;
        for (const stream_id& id : ids) {
            const auto p = gr.pel.find(id);
            if (find(id) == entries.end()) {
                if (p != gr.pel.end()) gr.pel.erase(p);
                continue;
            }
            pending next{c, now, 1};
            if (p != gr.pel.end()) {
                if (min_idle > 0 && now - p->second.time < min_idle) continue;
                next.count = p->second.count;
            } else if (!o.force) {
                continue;
            }
            gr.consumers[c] = now;
            next.time = time;
            if (o.retry_count) {
                next.count = *o.retry_count;
            } else if (!justid) {
                ++next.count;
            }
            gr.pel[id] = next;
            out.push_back(id);
        }
        return out;
    }

    bptree::stream_autoclaim_result<stream_id> autoclaim(const std::string& g, const std::string& c,
                                                         std::int64_t min_idle, stream_id start, std::size_t count,
                                                         std::int64_t now, bool justid) {
        group& gr = require(g);
        bptree::stream_autoclaim_result<stream_id> r;
        std::size_t attempts = count * 10;
        auto it = gr.pel.lower_bound(start);
        while (attempts > 0 && count > 0 && it != gr.pel.end()) {
            --attempts;
            if (find(it->first) == entries.end()) {
                r.deleted.push_back(it->first);
                it = gr.pel.erase(it);
                --count;
                continue;
            }
            if (min_idle > 0 && now - it->second.time < min_idle) {
                ++it;
                continue;
            }
            gr.consumers[c] = now;
            it->second.owner = c;
            it->second.time = now;
            if (!justid) ++it->second.count;
            r.claimed.push_back(it->first);
            --count;
            ++it;
        }
        r.next = it == gr.pel.end() ? stream_id{} : it->first;
        return r;
    }

    std::optional<long long> lag(const group& g) const {
        if (entries_added == 0) return 0;
        const auto added = static_cast<long long>(entries_added);
        if (g.entries_read != -1 && !tombstone_after(g.last)) return added - g.entries_read;
        const long long read = estimate(g.last);
        if (read == -1) return std::nullopt;
        return added - read;
    }

    std::vector<entry>::iterator find(stream_id id) {
        return std::find_if(entries.begin(), entries.end(), [&](const entry& e) { return e.id == id; });
    }
    std::vector<entry>::const_iterator find(stream_id id) const {
        return std::find_if(entries.begin(), entries.end(), [&](const entry& e) { return e.id == id; });
    }

private:
    static stream_id successor(stream_id id) {
        bptree::detail::increment_stream_id(id);
        return id;
    }

    // The node an entry belongs to: the greatest key <= id.
    node& node_of(stream_id id) {
        node* best = nullptr;
        for (node& n : nodes) {
            if (!(id < n.key)) best = &n;
        }
        return *best;
    }

    bool tombstone_after(stream_id start) const {
        if (entries.empty() || max_deleted == stream_id{}) return false;
        if (max_deleted < first_id) return false;
        return !(max_deleted < start);
    }

    long long estimate(stream_id id) const {
        const auto added = static_cast<long long>(entries_added);
        const auto length = static_cast<long long>(entries.size());
        if (entries_added == 0) return 0;
        if (entries.empty() && !(last_id < id)) return added;
        if (id == last_id) return added;
        if (last_id < id) return -1;
        if (max_deleted == stream_id{} || max_deleted < first_id) {
            if (id < first_id) return added - length;
            if (id == first_id) return added - length + 1;
        }
        return -1;
    }

    std::size_t node_max_entries_;
};

}  // namespace stream_test

// Readable failures: IDs as "ms-seq", entries as "ms-seq{name=value,...}".
namespace Catch {
template <>
struct StringMaker<bptree::stream_id> {
    static std::string convert(const bptree::stream_id& id) { return id.to_string(); }
};
template <>
struct StringMaker<bptree::stream_entry> {
    static std::string convert(const bptree::stream_entry& e) {
        std::string out = e.id.to_string() + "{";
        for (const auto& [name, value] : e.fields) out += name + "=" + value + ",";
        return out + "}";
    }
};
}  // namespace Catch

#endif  // BPTREE_TESTS_ADAPTORS_STREAM_MODEL_HPP
