// File: bptree/detail/redis/zset_glob.hpp
// Layer: command layer support. glob_match: the MATCH patterns of ZSCAN, with the semantics of
// Redis 7.0's stringmatchlen (case-sensitive): '*', '?', '[...]' with '^' negation and 'a-z'
// ranges (reversed ranges swap; bytes compare as signed char, as Redis's C does), '\' escapes,
// and an unterminated '[' matching to the end of the pattern.
// Includes: standard headers only.
#ifndef BPTREE_DETAIL_REDIS_ZSET_GLOB_HPP
#define BPTREE_DETAIL_REDIS_ZSET_GLOB_HPP

#include <cstddef>
#include <string_view>

#include "bptree/detail/config.hpp"

namespace bptree {
inline namespace BPTREE_ABI_NAMESPACE {
namespace redis::detail {

// Does `text` match `pattern` at its start and end? `give_up` is set when a '*' found no match for
// the rest of the pattern anywhere in the rest of the text: every earlier '*' then fails too,
// which keeps patterns like "*a*a*a*b" from taking exponential time.
inline bool glob_match_from(std::string_view pattern, std::string_view text, bool& give_up) {
    std::size_t p = 0;
    std::size_t t = 0;
    const auto at = [&](std::size_t i) -> char { return i < pattern.size() ? pattern[i] : '\0'; };
    while (p < pattern.size() && t < text.size()) {
        switch (pattern[p]) {
            case '*': {
                while (at(p + 1) == '*') ++p;
                if (p + 1 == pattern.size()) return true;
                for (; t < text.size(); ++t) {
                    if (glob_match_from(pattern.substr(p + 1), text.substr(t), give_up)) return true;
                    if (give_up) return false;
                }
                give_up = true;
                return false;
            }
            case '?': ++t; break;
            case '[': {
                ++p;
                const bool negate = at(p) == '^';
                if (negate) ++p;
                bool match = false;
                const int c = static_cast<signed char>(text[t]);
                for (;; ++p) {
                    const std::size_t left = pattern.size() - p;
                    if (left >= 2 && pattern[p] == '\\') {
                        ++p;
                        if (pattern[p] == text[t]) match = true;
                    } else if (left >= 1 && pattern[p] == ']') {
                        break;
                    } else if (left == 0) {
                        --p;  // an unterminated class ends with the pattern
                        break;
                    } else if (left >= 3 && pattern[p + 1] == '-') {
                        int lo = static_cast<signed char>(pattern[p]);
                        int hi = static_cast<signed char>(pattern[p + 2]);
                        if (lo > hi) {
                            const int swap = lo;
                            lo = hi;
                            hi = swap;
                        }
                        p += 2;
                        if (c >= lo && c <= hi) match = true;
                    } else if (pattern[p] == text[t]) {
                        match = true;
                    }
                }
                if (negate) match = !match;
                if (!match) return false;
                ++t;
                break;
            }
            case '\\':
                if (pattern.size() - p >= 2) ++p;
                [[fallthrough]];
            default:
                if (pattern[p] != text[t]) return false;
                ++t;
                break;
        }
        ++p;
        if (t == text.size()) {
            while (at(p) == '*') ++p;
            break;
        }
    }
    return p >= pattern.size() && t == text.size();
}

inline bool glob_match(std::string_view pattern, std::string_view text) {
    bool give_up = false;
    return glob_match_from(pattern, text, give_up);
}

}  // namespace redis::detail
}  // namespace BPTREE_ABI_NAMESPACE
}  // namespace bptree

#endif  // BPTREE_DETAIL_REDIS_ZSET_GLOB_HPP
