// ZSCAN's MATCH patterns: Redis 7.0's stringmatchlen rules, case by case.
#include <catch2/catch.hpp>

#include <string>

#include "bptree/detail/redis/zset_glob.hpp"

using bptree::redis::detail::glob_match;

TEST_CASE("glob: literals, ? and *", "[redis][glob]") {
    CHECK(glob_match("abc", "abc"));
    CHECK_FALSE(glob_match("abc", "abcd"));
    CHECK_FALSE(glob_match("abcd", "abc"));
    CHECK(glob_match("a?c", "abc"));
    CHECK_FALSE(glob_match("a?c", "ac"));
    CHECK(glob_match("*", "anything"));
    CHECK(glob_match("a*", "a"));
    CHECK(glob_match("*c", "abc"));
    CHECK(glob_match("a*c*e", "abcde"));
    CHECK_FALSE(glob_match("a*c*e", "abcd"));
    CHECK(glob_match("**b", "aab"));
    CHECK_FALSE(glob_match("*", ""));  // Redis's loop never runs on an empty string
    CHECK(glob_match("", ""));
    CHECK_FALSE(glob_match("*a*a*a*a*a*a*a*a*b", std::string(60, 'a')));  // and fast
}

TEST_CASE("glob: classes, ranges, negation and escapes", "[redis][glob]") {
    CHECK(glob_match("[abc]x", "bx"));
    CHECK_FALSE(glob_match("[abc]x", "dx"));
    CHECK(glob_match("[^abc]x", "dx"));
    CHECK_FALSE(glob_match("[^abc]x", "ax"));
    CHECK(glob_match("m[0-3]", "m2"));
    CHECK_FALSE(glob_match("m[0-3]", "m4"));
    CHECK(glob_match("m[3-0]", "m2"));  // a reversed range is swapped
    CHECK(glob_match("[\\]]", "]"));
    CHECK(glob_match("\\*", "*"));
    CHECK_FALSE(glob_match("\\*", "a"));
    // An unterminated class matches nothing, or anything when negated (checked on redis-server).
    CHECK_FALSE(glob_match("a[", "a["));
    CHECK_FALSE(glob_match("a[", "ab"));
    CHECK(glob_match("a[^", "ab"));
    CHECK(glob_match("a[^", "a["));
    // "[a-]" is the range a..']' (swapped), which takes the closing bracket with it.
    CHECK(glob_match("[a-]", "]"));
    CHECK_FALSE(glob_match("[a-]", "-"));
    // Bytes above 0x7f compare as signed char in ranges, as Redis's C does.
    CHECK(glob_match("[\x80-\x7f]", "a"));
    CHECK_FALSE(glob_match("[a-z]", "\xe9"));
}
