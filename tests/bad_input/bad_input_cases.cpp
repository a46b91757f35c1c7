// Rendering and running the bad-input rows (see bad_input_cases.hpp).
#include "bad_input_cases.hpp"

#include <cstdio>
#include <limits>
#include <map>
#include <new>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <type_traits>

namespace bad_input {

const char* family_name(family f) {
    switch (f) {
        case family::zset: return "sorted set";
        case family::stream: return "stream";
        case family::ts: return "time series";
        case family::typed: return "typed API";
    }
    return "?";
}

std::string escaped(const std::string& s) {
    std::string out;
    for (unsigned char c : s) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '|') {
            out += "\\|";  // a Markdown table cell
        } else if (c >= 0x20 && c < 0x7f) {
            out += static_cast<char>(c);
        } else {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", c);
            out += buf;
        }
    }
    return out;
}

std::string render(const reply& r) {
    switch (r.kind) {
        case reply::type::nil: return "(nil)";
        case reply::type::integer: return "(integer) " + std::to_string(r.integer);
        case reply::type::bulk: return "\"" + escaped(r.text) + "\"";
        case reply::type::status: return escaped(r.text);
        case reply::type::error: return "(error) " + escaped(r.text);
        case reply::type::array: {
            if (r.elements.empty()) return "(empty array)";
            std::string out = "[";
            const std::size_t shown = r.elements.size() > 6 ? 4 : r.elements.size();
            for (std::size_t i = 0; i < shown; ++i) out += (i ? ", " : "") + render(r.elements[i]);
            if (shown < r.elements.size()) out += ", ... (" + std::to_string(r.elements.size()) + " elements)";
            return out + "]";
        }
    }
    return "?";
}

std::string command_line(const argv_type& argv) {
    std::string out;
    for (const auto& a : argv) {
        if (!out.empty()) out += ' ';
        out += a.empty() ? "\"\"" : escaped(a);
    }
    return out;
}

namespace {

using zset = bptree::sorted_set<std::string>;
using series = bptree::time_series<>;
using stream = bptree::stream<>;

// The keys a row's commands name. A sorted-set command works on the slot of argv[1] (or, over
// several keys, on the slots it names); the stream and time-series rows use one key.
template <class T>
using keyspace = std::map<std::string, std::optional<T>>;

template <class T>
reply run_command(keyspace<T>& keys, const argv_type& argv) {
    if constexpr (std::is_same_v<T, zset>) {
        std::optional<zset>& slot = keys[argv.size() > 1 ? argv[1] : std::string()];
        std::mt19937_64 rng(7);
        const reply r = bptree::redis::execute(slot, argv, rng);
        const bool unknown = r.kind == reply::type::error && r.text.rfind("ERR unknown command", 0) == 0;
        if (!unknown) return r;
        // Not a single-key command: maybe one over several keys (ZUNIONSTORE, ZINTER...).
        return bptree::redis::execute_multi_key<zset>(
            [&](const std::string& key) -> std::optional<zset>& { return keys[key]; }, argv);
    } else {
        return bptree::redis::execute(keys["k"], argv, clock_ms);  // the stream and TS rows use one key
    }
}

// Everything an error reply must leave unchanged: every entry with its exact bits, the counters
// and the options.
std::string dump(const std::optional<zset>& s) {
    if (!s) return "(nil)";
    std::ostringstream out;
    for (const auto& e : *s) out << escaped(e.member) << '=' << std::hexfloat << e.score << ';';
    return out.str();
}
std::string dump(const std::optional<series>& s) {
    if (!s) return "(nil)";
    std::ostringstream out;
    const auto i = s->info();
    out << i.total_samples << ' ' << i.first_ts << ' ' << i.last_ts << ' ' << i.retention_ms << ' ' << i.chunk_count
        << ' ' << i.chunk_size_bytes << ' ' << static_cast<int>(i.encoding) << ' '
        << (i.policy ? static_cast<int>(*i.policy) : -1) << ';';
    for (const auto& [name, value] : i.labels) out << escaped(name) << '=' << escaped(value) << ';';
    for (const auto& x : s->range(0, std::numeric_limits<std::int64_t>::max())) {
        out << x.ts << '=' << std::hexfloat << x.value << ';';
    }
    return out.str();
}
std::string dump(const std::optional<stream>& s) {
    if (!s) return "(nil)";
    std::optional<stream> copy = s;
    return bptree::redis::to_resp(
               bptree::redis::execute(copy, {"XINFO", "STREAM", "k", "FULL", "COUNT", "0"}, clock_ms)) +
           bptree::redis::to_resp(bptree::redis::execute(copy, {"XINFO", "GROUPS", "k"}, clock_ms));
}

// The rendered result of f(), or the exception it throws.
template <class F>
std::string result_or_exception(F&& f) {
    try {
        return f();
    } catch (const bptree::error& e) {
        return std::string("throws bptree::error: ") + e.what();
    } catch (const std::length_error& e) {
        return std::string("throws std::length_error: ") + e.what();
    } catch (const std::bad_alloc&) {
        return "throws std::bad_alloc";
    } catch (const std::exception& e) {
        return std::string("throws std::exception: ") + e.what();
    }
}

template <class T>
std::string dump(const keyspace<T>& keys) {
    std::string out;
    for (const auto& [name, slot] : keys) {
        if (slot) out += escaped(name) + ": " + dump(slot) + "\n";
    }
    return out;
}

template <class T>
outcome run_command_row(const row& r) {
    outcome out;
    keyspace<T> keys;
    for (const auto& cmd : r.setup) {
        const reply s = run_command(keys, cmd);
        if (s.kind == reply::type::error) out.problem += "setup " + command_line(cmd) + " failed: " + render(s) + "; ";
    }
    const std::string before = dump(keys);
    bool error_reply = false;
    out.result = result_or_exception([&] {
        const reply result = run_command(keys, r.argv);
        error_reply = result.kind == reply::type::error;
        return render(result);
    });
    for (const auto& [name, slot] : keys) {
        try {
            if (slot) slot->verify();
        } catch (const std::logic_error& e) {
            out.problem += "verify() of " + escaped(name) + ": " + e.what() + "; ";
        }
    }
    if (error_reply && dump(keys) != before) out.problem += "the error reply changed the keys; ";
    return out;
}

}  // namespace

outcome run(const row& r) {
    switch (r.fam) {
        case family::zset: return run_command_row<zset>(r);
        case family::stream: return run_command_row<stream>(r);
        case family::ts: return run_command_row<series>(r);
        case family::typed: return {result_or_exception(r.typed), ""};
    }
    return {"?", "unknown family"};
}

}  // namespace bad_input
