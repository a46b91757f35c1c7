// File: tools/redis_conformance/transcript.hpp
// Part of the Redis conformance tool's core (header-only, so the Catch2 replay test includes it
// too). A transcript is a text file of records, each a command and the reply a real Redis gave:
//
//   # family: zset                 comments and headers start with '#'
//   > ZADD z1 NX 1.5 "two words"   the command: bare words, or "quoted" with \" \\ \n \r \t \xHH
//   < :1                           the reply, exact match required
//   > ZRANDMEMBER z1 2
//   <same_shape ["a" "b"]          a reply compared under a looser mode (random replies)
//
// Reply notation: nil, :<integer>, "bulk", +"status", -"error", [elements separated by spaces].
// Match modes: exact; unordered (arrays as multisets of elements); unordered_pairs (multisets of
// consecutive pairs, for WITHSCORES); same_shape (same kinds and array lengths, for samples);
// scan_page (a well-formed ZSCAN/SCAN reply: [bulk cursor, array of even length]).
#ifndef BPTREE_TOOLS_REDIS_CONFORMANCE_TRANSCRIPT_HPP
#define BPTREE_TOOLS_REDIS_CONFORMANCE_TRANSCRIPT_HPP

#include <algorithm>
#include <cstdio>
#include <istream>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bptree/detail/redis/reply.hpp"

namespace bptree_conformance {

using bptree::redis::reply;

enum class match_mode { exact, unordered, unordered_pairs, same_shape, scan_page };

inline const char* mode_name(match_mode m) {
    switch (m) {
        case match_mode::exact: return "";
        case match_mode::unordered: return "unordered";
        case match_mode::unordered_pairs: return "unordered_pairs";
        case match_mode::same_shape: return "same_shape";
        case match_mode::scan_page: return "scan_page";
    }
    return "";
}

inline std::optional<match_mode> mode_from_name(std::string_view name) {
    for (match_mode m : {match_mode::exact, match_mode::unordered, match_mode::unordered_pairs,
                         match_mode::same_shape, match_mode::scan_page}) {
        if (name == mode_name(m)) return m;
    }
    return std::nullopt;
}

struct record {
    std::vector<std::string> argv;
    reply expected;
    match_mode mode = match_mode::exact;
};

struct transcript {
    std::vector<std::pair<std::string, std::string>> headers;  // "# key: value" lines, in order
    std::vector<record> records;

    std::string header(std::string_view key) const {
        for (const auto& [k, v] : headers) {
            if (k == key) return v;
        }
        return {};
    }
};

// ---------------------------------------------------------------- writing

inline bool is_bare_char(unsigned char c) { return c > 0x20 && c < 0x7f && c != '"' && c != '\\'; }

inline std::string quote(std::string_view s) {
    std::string out = "\"";
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c >= 0x20 && c < 0x7f) {
                    out += ch;
                } else {
                    char hex[5];
                    std::snprintf(hex, sizeof hex, "\\x%02x", c);
                    out += hex;
                }
        }
    }
    return out + "\"";
}

// A command argument: bare when that is unambiguous, quoted otherwise.
inline std::string format_word(std::string_view s) {
    const bool bare = !s.empty() && s != "nil" && std::all_of(s.begin(), s.end(), [](char c) {
        return is_bare_char(static_cast<unsigned char>(c));
    });
    return bare ? std::string(s) : quote(s);
}

inline std::string format_command(const std::vector<std::string>& argv) {
    std::string out;
    for (const std::string& a : argv) {
        if (!out.empty()) out += ' ';
        out += format_word(a);
    }
    return out;
}

inline std::string format_reply(const reply& r) {
    switch (r.kind) {
        case reply::type::nil: return "nil";
        case reply::type::integer: return ":" + std::to_string(r.integer);
        case reply::type::bulk: return quote(r.text);
        case reply::type::status: return "+" + quote(r.text);
        case reply::type::error: return "-" + quote(r.text);
        case reply::type::array: {
            std::string out = "[";
            for (std::size_t i = 0; i < r.elements.size(); ++i) {
                if (i != 0) out += ' ';
                out += format_reply(r.elements[i]);
            }
            return out + "]";
        }
    }
    return "?";
}

inline void write_record(std::ostream& out, const record& r) {
    out << "> " << format_command(r.argv) << "\n<" << mode_name(r.mode) << ' ' << format_reply(r.expected) << '\n';
}

inline void write_transcript(std::ostream& out, const transcript& t) {
    for (const auto& [k, v] : t.headers) out << "# " << k << ": " << v << '\n';
    for (const record& r : t.records) write_record(out, r);
}

// ---------------------------------------------------------------- reading

class notation_parser {
public:
    notation_parser(std::string_view text, std::size_t line) : text_(text), line_(line) {}

    std::vector<std::string> words() {
        std::vector<std::string> out;
        for (skip_spaces(); pos_ < text_.size(); skip_spaces()) {
            if (text_[pos_] == '"') {
                out.push_back(quoted());
            } else {
                const std::size_t start = pos_;
                while (pos_ < text_.size() && text_[pos_] != ' ') ++pos_;
                out.emplace_back(text_.substr(start, pos_ - start));
            }
        }
        return out;
    }

    reply whole_reply() {
        skip_spaces();
        reply r = one_reply();
        skip_spaces();
        if (pos_ != text_.size()) fail("trailing text after the reply");
        return r;
    }

private:
    reply one_reply() {
        if (pos_ >= text_.size()) fail("missing reply");
        const char c = text_[pos_];
        if (c == '"') return reply::bulk(quoted());
        if (c == '+' || c == '-') {
            ++pos_;
            if (pos_ >= text_.size() || text_[pos_] != '"') fail("status and error texts are quoted");
            std::string s = quoted();
            return c == '+' ? reply::status(std::move(s)) : reply::error(std::move(s));
        }
        if (c == ':') {
            ++pos_;
            const std::size_t start = pos_;
            while (pos_ < text_.size() && text_[pos_] != ' ' && text_[pos_] != ']') ++pos_;
            long long v = 0;
            if (!bptree::redis::detail::parse_long_long(text_.substr(start, pos_ - start), v)) fail("bad integer");
            return reply::from_integer(v);
        }
        if (c == '[') {
            ++pos_;
            std::vector<reply> elements;
            for (skip_spaces(); pos_ < text_.size() && text_[pos_] != ']'; skip_spaces()) elements.push_back(one_reply());
            if (pos_ >= text_.size()) fail("unclosed array");
            ++pos_;
            return reply::array(std::move(elements));
        }
        if (text_.substr(pos_, 3) == "nil") {
            pos_ += 3;
            return reply::nil();
        }
        fail("unknown reply notation");
    }

    std::string quoted() {
        ++pos_;  // the opening quote
        std::string out;
        while (pos_ < text_.size() && text_[pos_] != '"') {
            char c = text_[pos_++];
            if (c == '\\') {
                if (pos_ >= text_.size()) fail("dangling escape");
                const char e = text_[pos_++];
                switch (e) {
                    case 'n': c = '\n'; break;
                    case 'r': c = '\r'; break;
                    case 't': c = '\t'; break;
                    case 'x': {
                        if (pos_ + 2 > text_.size()) fail("short \\x escape");
                        c = static_cast<char>(std::stoi(std::string(text_.substr(pos_, 2)), nullptr, 16));
                        pos_ += 2;
                        break;
                    }
                    default: c = e;
                }
            }
            out += c;
        }
        if (pos_ >= text_.size()) fail("unclosed quote");
        ++pos_;
        return out;
    }

    void skip_spaces() {
        while (pos_ < text_.size() && text_[pos_] == ' ') ++pos_;
    }

    [[noreturn]] void fail(const char* what) const {
        throw std::runtime_error("transcript line " + std::to_string(line_) + ": " + what);
    }

    std::string_view text_;
    std::size_t pos_ = 0;
    std::size_t line_;
};

inline transcript read_transcript(std::istream& in) {
    transcript t;
    std::string line;
    std::optional<std::vector<std::string>> pending;
    for (std::size_t n = 1; std::getline(in, line); ++n) {
        if (line.empty()) continue;
        if (line[0] == '#') {
            const std::size_t colon = line.find(": ");
            if (colon != std::string::npos && colon > 2) t.headers.emplace_back(line.substr(2, colon - 2), line.substr(colon + 2));
            continue;
        }
        if (line[0] == '>') {
            if (pending) throw std::runtime_error("transcript line " + std::to_string(n) + ": command without reply");
            pending = notation_parser(std::string_view(line).substr(1), n).words();
            continue;
        }
        if (line[0] == '<') {
            if (!pending) throw std::runtime_error("transcript line " + std::to_string(n) + ": reply without command");
            const std::size_t space = line.find(' ');
            const std::string mode = line.substr(1, space == std::string::npos ? std::string::npos : space - 1);
            const std::optional<match_mode> m = mode_from_name(mode);
            if (!m || space == std::string::npos) {
                throw std::runtime_error("transcript line " + std::to_string(n) + ": bad reply line");
            }
            t.records.push_back({std::move(*pending), notation_parser(std::string_view(line).substr(space + 1), n).whole_reply(), *m});
            pending.reset();
            continue;
        }
        throw std::runtime_error("transcript line " + std::to_string(n) + ": unknown line");
    }
    if (pending) throw std::runtime_error("transcript ends with a command without reply");
    return t;
}

// ---------------------------------------------------------------- matching

inline bool same_shape(const reply& a, const reply& b) {
    if (a.kind != b.kind) return false;
    if (a.kind != reply::type::array) return true;
    if (a.elements.size() != b.elements.size()) return false;
    for (std::size_t i = 0; i < a.elements.size(); ++i) {
        if (!same_shape(a.elements[i], b.elements[i])) return false;
    }
    return true;
}

// Elements of an array grouped `group` at a time, sorted by their notation (a canonical order).
inline std::vector<std::string> canonical_groups(const reply& r, std::size_t group) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i + group <= r.elements.size(); i += group) {
        std::string g;
        for (std::size_t j = i; j < i + group; ++j) g += format_reply(r.elements[j]) + ' ';
        out.push_back(std::move(g));
    }
    std::sort(out.begin(), out.end());
    return out;
}

inline bool is_scan_page(const reply& r) {
    return r.kind == reply::type::array && r.elements.size() == 2 && r.elements[0].kind == reply::type::bulk &&
           r.elements[1].kind == reply::type::array && r.elements[1].elements.size() % 2 == 0;
}

inline bool matches(const reply& expected, const reply& actual, match_mode mode) {
    // Errors are never random: their texts must match whatever the mode.
    if (expected.is_error() || actual.is_error()) return expected == actual;
    switch (mode) {
        case match_mode::exact: return expected == actual;
        case match_mode::unordered:
        case match_mode::unordered_pairs: {
            if (expected.kind != reply::type::array || actual.kind != reply::type::array) return expected == actual;
            if (expected.elements.size() != actual.elements.size()) return false;
            const std::size_t group = mode == match_mode::unordered ? 1 : 2;
            return canonical_groups(expected, group) == canonical_groups(actual, group);
        }
        case match_mode::same_shape: return same_shape(expected, actual);
        case match_mode::scan_page: return is_scan_page(expected) ? is_scan_page(actual) : expected == actual;
    }
    return false;
}

// A report of a divergence: the command, both replies, and where they first differ.
inline std::string describe_divergence(const std::vector<std::string>& argv, const reply& expected,
                                       const reply& actual, match_mode mode) {
    std::string out = "command:  " + format_command(argv) + "\nexpected: " + format_reply(expected) +
                      "\nactual:   " + format_reply(actual) + "\n";
    if (mode != match_mode::exact) out += std::string("(compared as ") + mode_name(mode) + ")\n";
    if (expected.kind == reply::type::array && actual.kind == reply::type::array) {
        const std::size_t n = std::min(expected.elements.size(), actual.elements.size());
        std::size_t i = 0;
        while (i < n && expected.elements[i] == actual.elements[i]) ++i;
        out += "first difference at element " + std::to_string(i) + " (lengths " +
               std::to_string(expected.elements.size()) + " and " + std::to_string(actual.elements.size()) + ")\n";
    }
    return out;
}

}  // namespace bptree_conformance

#endif  // BPTREE_TOOLS_REDIS_CONFORMANCE_TRANSCRIPT_HPP
