// Differential tests: long random sequences of every mutating and querying member, applied to a
// bptree container and to its std counterpart, comparing every result and iterator position
// (as indices), with verify() after every step. Tiny nodes (3 values per leaf, 4 children per
// inner node) make deep trees that split and merge constantly; the default nodes are tested too.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <iterator>
#include <map>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "bptree/map.hpp"
#include "bptree/set.hpp"
#include "support/counting_allocator.hpp"
#include "support/test_seed.hpp"

namespace {

using tiny = bptree::slot_traits<3, 4>;
using small = bptree::slot_traits<5, 6>;
struct tiny_stable : tiny {
    static constexpr bool stable_values = true;  // boxed values
};

// Orders strings case-insensitively: a comparator whose equivalence is not equality.
struct case_insensitive_less {
    bool operator()(const std::string& a, const std::string& b) const {
        return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
            return std::tolower(static_cast<unsigned char>(x)) < std::tolower(static_cast<unsigned char>(y));
        });
    }
};

// How to make keys and values of a container's types from integers.
template <class K>
K make_key(int i) {
    if constexpr (std::is_same_v<K, std::string>) {
        std::string s = std::to_string(i);
        if (i % 3 == 0) s[0] = 'A' + static_cast<char>(i % 7);  // some letters for case folding
        if (i % 5 == 0 && !s.empty() && std::isalpha(static_cast<unsigned char>(s[0]))) {
            s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
        }
        return s;
    } else {
        return static_cast<K>(i);
    }
}

template <class C>
constexpr bool is_map_v = !std::is_same_v<typename C::key_type, typename C::value_type>;

template <class C>
typename C::value_type make_value(int key, int id) {
    if constexpr (is_map_v<C>) {
        using mapped = typename C::mapped_type;
        return {make_key<typename C::key_type>(key), make_key<mapped>(id)};
    } else {
        (void)id;
        return make_key<typename C::key_type>(key);
    }
}

template <class B, class S>
class differential {
public:
    using key_type = typename B::key_type;
    using value_type = typename B::value_type;
    static constexpr bool is_multi = !std::is_same_v<decltype(std::declval<S&>().insert(
                                                          std::declval<const typename S::value_type&>())),
                                                      std::pair<typename S::iterator, bool>>;

    explicit differential(std::uint64_t seed) : rng_(seed) {}

    void run(std::size_t steps, int key_range) {
        key_range_ = key_range;
        for (std::size_t step = 0; step < steps; ++step) {
            // Phases: grow, churn, shrink, so trees pass through every size and shape.
            const std::size_t phase = (step / 600) % 3;
            const unsigned op = pick(phase);
            apply(op);
            b_.verify();
            REQUIRE(b_.size() == s_.size());
            if (step % 16 == 0 || s_.size() < 40) check_contents();
            if (step % 64 == 0) check_positions();
        }
        check_contents();
        check_positions();
    }

private:
    unsigned pick(std::size_t phase) {
        const unsigned r = static_cast<unsigned>(rng_() % 100);
        if (phase == 0) return r < 70 ? 0 : r % 22;       // mostly insertions
        if (phase == 2) return r < 60 ? 10 : r % 22;      // mostly erasures
        return r % 22;
    }

    int random_key() { return static_cast<int>(rng_() % static_cast<unsigned>(key_range_)); }
    std::size_t random_index(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(rng_() % n); }

    typename B::iterator b_at(std::size_t i) { return std::next(b_.begin(), static_cast<std::ptrdiff_t>(i)); }
    typename S::iterator s_at(std::size_t i) { return std::next(s_.begin(), static_cast<std::ptrdiff_t>(i)); }
    std::size_t b_index(typename B::const_iterator it) const {
        return static_cast<std::size_t>(std::distance(b_.begin(), it));
    }
    std::size_t s_index(typename S::const_iterator it) const {
        return static_cast<std::size_t>(std::distance(s_.begin(), it));
    }

    void apply(unsigned op) {
        const int k = random_key();
        const value_type v = make_value<B>(k, ++id_);
        const key_type key = make_key<key_type>(k);
        switch (op) {
            case 0: {  // insert
                INFO("insert");
                if constexpr (is_multi) {
                    CHECK(b_index(b_.insert(v)) == s_index(s_.insert(v)));
                } else {
                    const auto rb = b_.insert(v);
                    const auto rs = s_.insert(v);
                    CHECK(rb.second == rs.second);
                    CHECK(b_index(rb.first) == s_index(rs.first));
                }
                break;
            }
            case 1: {  // insert with a hint anywhere, or (multi, half the time) in the key's equal run
                INFO("insert with hint");
                std::size_t hint = random_index(s_.size() + 1);
                if (is_multi && random_index(2) == 0) {
                    const std::size_t lo = s_index(s_.lower_bound(key));
                    const std::size_t hi = s_index(s_.upper_bound(key));
                    hint = lo + random_index(hi - lo + 1);
                }
                const auto ib = b_.insert(b_at(hint), v);
                const auto is = s_.insert(s_at(hint), v);
                CHECK(b_index(ib) == s_index(is));
                break;
            }
            case 2: {  // emplace
                INFO("emplace");
                if constexpr (is_multi) {
                    CHECK(b_index(b_.emplace(v)) == s_index(s_.emplace(v)));
                } else {
                    const auto rb = b_.emplace(v);
                    const auto rs = s_.emplace(v);
                    CHECK(rb.second == rs.second);
                    CHECK(b_index(rb.first) == s_index(rs.first));
                }
                break;
            }
            case 3: {  // emplace_hint at end (the append path) with keys past the back
                INFO("emplace_hint at end");
                const value_type tail = make_value<B>(key_range_ + static_cast<int>(rng_() % 8), ++id_);
                CHECK(b_index(b_.emplace_hint(b_.end(), tail)) == s_index(s_.emplace_hint(s_.end(), tail)));
                break;
            }
            case 4: {  // lookups
                INFO("lookups");
                CHECK(b_.count(key) == s_.count(key));
                CHECK(b_.contains(key) == (s_.find(key) != s_.end()));
                CHECK(b_index(b_.lower_bound(key)) == s_index(s_.lower_bound(key)));
                CHECK(b_index(b_.upper_bound(key)) == s_index(s_.upper_bound(key)));
                const auto rb = b_.equal_range(key);
                const auto rs = s_.equal_range(key);
                CHECK(b_index(rb.first) == s_index(rs.first));
                CHECK(b_index(rb.second) == s_index(rs.second));
                const auto fb = b_.find(key);
                const auto fs = s_.find(key);
                CHECK((fb == b_.end()) == (fs == s_.end()));
                if (fs != s_.end()) CHECK(b_index(fb) == s_index(fs));
                break;
            }
            case 5: {  // order statistics
                INFO("rank / nth / index_of");
                CHECK(b_.rank(key) == s_index(s_.lower_bound(key)));
                const std::size_t i = random_index(s_.size() + 2);
                const auto it = b_.nth(i);
                if (i >= s_.size()) {
                    CHECK(it == b_.end());
                } else {
                    CHECK(*it == *s_at(i));
                    CHECK(b_.index_of(it) == i);
                }
                CHECK(b_.index_of(b_.end()) == b_.size());
                break;
            }
            case 6: {  // front / back / pop
                INFO("front / back / pop");
                if (s_.empty()) break;
                CHECK(b_.front() == *s_.begin());
                CHECK(b_.back() == *s_.rbegin());
                if (rng_() % 2) {
                    b_.pop_front();
                    s_.erase(s_.begin());
                } else {
                    b_.pop_back();
                    s_.erase(std::prev(s_.end()));
                }
                break;
            }
            case 7: {  // range erase, from tiny to most of the container
                INFO("erase(first, last)");
                const std::size_t n = s_.size();
                const std::size_t first = random_index(n + 1);
                const std::size_t span = rng_() % 4 == 0 ? random_index(n - first + 1)
                                                         : std::min<std::size_t>(n - first, random_index(12));
                const auto rb = b_.erase(b_at(first), b_at(first + span));
                const auto rs = s_.erase(s_at(first), s_at(first + span));
                CHECK(b_index(rb) == s_index(rs));
                break;
            }
            case 8: {  // erase at a random position
                INFO("erase(iterator)");
                if (s_.empty()) break;
                const std::size_t i = random_index(s_.size());
                CHECK(b_index(b_.erase(b_at(i))) == s_index(s_.erase(s_at(i))));
                break;
            }
            case 9: {  // extract and insert the node back (or elsewhere for maps)
                INFO("extract / insert(node)");
                if (s_.empty()) break;
                const std::size_t i = random_index(s_.size());
                auto nb = b_.extract(b_at(i));
                auto ns = s_.extract(s_at(i));
                CHECK(b_.size() == s_.size());
                if constexpr (is_map_v<B>) {
                    nb.key() = key;
                    ns.key() = key;
                }
                if constexpr (is_multi) {
                    CHECK(b_index(b_.insert(std::move(nb))) == s_index(s_.insert(std::move(ns))));
                } else {
                    const auto rb = b_.insert(std::move(nb));
                    const auto rs = s_.insert(std::move(ns));
                    CHECK(rb.inserted == rs.inserted);
                    CHECK(b_index(rb.position) == s_index(rs.position));
                    CHECK(rb.node.empty() == rs.node.empty());
                }
                break;
            }
            case 10:
            case 11: {  // erase by key
                INFO("erase(key)");
                CHECK(b_.erase(key) == s_.erase(key));
                break;
            }
            case 12: {  // map members
                if constexpr (is_map_v<B> && !is_multi) {
                    INFO("operator[] / try_emplace / insert_or_assign / at");
                    const auto mapped = make_key<typename B::mapped_type>(++id_);
                    switch (rng_() % 4) {
                        case 0: b_[key] = mapped; s_[key] = mapped; break;
                        case 1: {
                            const auto rb = b_.try_emplace(key, mapped);
                            const auto rs = s_.try_emplace(key, mapped);
                            CHECK(rb.second == rs.second);
                            CHECK(b_index(rb.first) == s_index(rs.first));
                            break;
                        }
                        case 2: {
                            const auto rb = b_.insert_or_assign(key, mapped);
                            const auto rs = s_.insert_or_assign(key, mapped);
                            CHECK(rb.second == rs.second);
                            break;
                        }
                        default:
                            if (s_.count(key)) {
                                CHECK(b_.at(key) == s_.at(key));
                            } else {
                                CHECK_THROWS_AS(b_.at(key), std::out_of_range);
                            }
                    }
                }
                break;
            }
            case 13: {  // bulk load from the sorted contents, then keep going on the new tree
                if (rng_() % 8 != 0) break;
                INFO("sorted bulk load");
                const std::vector<value_type> sorted(s_.begin(), s_.end());
                if constexpr (is_multi) {
                    b_ = B(bptree::sorted_equivalent, sorted.begin(), sorted.end());
                } else {
                    b_ = B(bptree::sorted_unique, sorted.begin(), sorted.end());
                }
                break;
            }
            case 14: {  // merge a small random container in
                if (rng_() % 4 != 0) break;
                INFO("merge");
                B other_b;
                S other_s;
                for (int i = 0; i < 6; ++i) {
                    const value_type w = make_value<B>(random_key(), ++id_);
                    other_b.insert(w);
                    other_s.insert(w);
                }
                b_.merge(other_b);
                s_.merge(other_s);
                other_b.verify();
                CHECK(std::equal(other_b.begin(), other_b.end(), other_s.begin(), other_s.end()));
                break;
            }
            case 15: {  // copy, move and swap
                if (rng_() % 8 != 0) break;
                INFO("copy / move / swap");
                B copy(b_);
                copy.verify();
                B moved(std::move(copy));
                moved.verify();
                CHECK(copy.empty());  // NOLINT: a moved-from bptree container is empty
                B other;
                other.swap(moved);
                b_ = other;
                break;
            }
            case 16: {  // iteration both ways
                INFO("reverse iteration");
                CHECK(std::equal(b_.rbegin(), b_.rend(), s_.rbegin(), s_.rend()));
                break;
            }
            case 17: {  // erase_if on a residue class
                if (rng_() % 8 != 0) break;
                INFO("erase_if");
                const int mod = 2 + static_cast<int>(rng_() % 5);
                auto pred = [&](const value_type& x) {
                    const key_type& kk = key_of(x);
                    return std::hash<key_type>()(kk) % static_cast<std::size_t>(mod) == 0;
                };
                std::size_t expected = 0;
                for (auto it = s_.begin(); it != s_.end();) {
                    if (pred(*it)) {
                        it = s_.erase(it);
                        ++expected;
                    } else {
                        ++it;
                    }
                }
                CHECK(erase_if(b_, pred) == expected);
                break;
            }
            case 18: {  // clear, rarely
                if (rng_() % 32 != 0) break;
                b_.clear();
                s_.clear();
                break;
            }
            case 20: {  // replace the value at a random position (in place when it still fits)
                INFO("replace");
                if (s_.empty()) break;
                const std::size_t i = random_index(s_.size());
                // Half the time a key close to the old one, which often fits in place.
                const int near = key_index_of(*s_at(i)) + static_cast<int>(rng_() % 3) - 1;
                const value_type w = rng_() % 2 ? make_value<B>(near, ++id_) : v;
                const auto rb = b_.replace(b_at(i), w);
                CHECK(b_index(rb.first) == std_replace(i, w, rb.second));
                break;
            }
            case 21: {  // range insert of unsorted values, with repeated keys (sorted, then inserted)
                INFO("range insert");
                std::vector<value_type> values;
                const std::size_t count = random_index(16);
                for (std::size_t i = 0; i < count; ++i) values.push_back(make_value<B>(random_key(), ++id_));
                if (rng_() % 2 == 0) {
                    b_.insert(values.begin(), values.end());
                    s_.insert(values.begin(), values.end());
                } else {  // moved from: each value must be moved once, in input order among equals
                    std::vector<value_type> copy = values;
                    b_.insert(std::make_move_iterator(values.begin()), std::make_move_iterator(values.end()));
                    s_.insert(std::make_move_iterator(copy.begin()), std::make_move_iterator(copy.end()));
                }
                break;
            }
            default: {  // insert a run of increasing keys (append and hint paths)
                const int start = random_key();
                for (int i = 0; i < 5; ++i) {
                    const value_type w = make_value<B>(start + i, ++id_);
                    b_.insert(b_.end(), w);
                    s_.insert(s_.end(), w);
                }
            }
        }
    }

    // What replace(pos i, v) does, on the std container: returns the index of the new value (or of
    // the value holding v's key when a unique container refuses it) and checks `stored`.
    std::size_t std_replace(std::size_t i, const value_type& v, bool stored) {
        const key_type& k = key_of(v);
        const auto pos = s_at(i);
        const bool fits = (pos == s_.begin() || fits_after(key_of(*std::prev(pos)), k)) &&
                          (std::next(pos) == s_.end() || fits_after(k, key_of(*std::next(pos))));
        if (!fits && !is_multi) {
            const auto existing = s_.find(k);
            if (existing != s_.end()) {
                CHECK_FALSE(stored);
                return s_index(existing);
            }
        }
        CHECK(stored);
        const auto next = s_.erase(pos);
        if (fits) return s_index(s_.insert(next, v));
        if constexpr (is_multi) {
            return s_index(s_.insert(v));
        } else {
            return s_index(s_.insert(v).first);
        }
    }
    // a may stand before b: a < b in a unique container, !(b < a) in a multi one.
    bool fits_after(const key_type& a, const key_type& b) const {
        const auto comp = s_.key_comp();
        return is_multi ? !comp(b, a) : comp(a, b);
    }
    // The integer a key was made from (keys are made from integers by make_key).
    int key_index_of(const value_type& v) const {
        if constexpr (std::is_same_v<key_type, std::string>) {
            const std::string& s = key_of(v);
            int n = 0;
            for (char c : s) n = n * 10 + (std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : 0);
            return n;
        } else {
            return static_cast<int>(key_of(v));
        }
    }

    static const key_type& key_of(const value_type& v) {
        if constexpr (is_map_v<B>) {
            return v.first;
        } else {
            return v;
        }
    }

    void check_contents() {
        REQUIRE(b_.size() == s_.size());
        REQUIRE(std::equal(b_.begin(), b_.end(), s_.begin(), s_.end()));
    }

    // rank/nth/index_of at every position, against std::distance.
    void check_positions() {
        std::size_t i = 0;
        for (auto it = b_.begin(); it != b_.end(); ++it, ++i) {
            REQUIRE(b_.index_of(it) == i);
            REQUIRE(b_.nth(i) == it);
        }
        for (auto it = s_.begin(); it != s_.end(); it = s_.upper_bound(key_of(*it))) {
            REQUIRE(b_.rank(key_of(*it)) == s_index(it));
        }
    }

    B b_;
    S s_;
    std::mt19937_64 rng_;
    int key_range_ = 100;
    int id_ = 0;
};

template <class B, class S>
struct pairing {
    using bptree_type = B;
    using std_type = S;
};

}  // namespace

TEMPLATE_TEST_CASE("bptree containers behave as their std counterparts under random operations",
                   "[differential]",
                   (pairing<bptree::set<int, std::less<int>, std::allocator<int>, tiny>, std::set<int>>),
                   (pairing<bptree::multiset<int, std::less<int>, std::allocator<int>, tiny>, std::multiset<int>>),
                   (pairing<bptree::map<int, int, std::less<int>, std::allocator<std::pair<const int, int>>, tiny>,
                            std::map<int, int>>),
                   (pairing<bptree::multimap<int, int, std::less<int>, std::allocator<std::pair<const int, int>>, tiny>,
                            std::multimap<int, int>>),
                   (pairing<bptree::set<std::string, std::less<std::string>, std::allocator<std::string>, small>,
                            std::set<std::string>>),
                   (pairing<bptree::multimap<std::string, std::string, case_insensitive_less,
                                             std::allocator<std::pair<const std::string, std::string>>, tiny>,
                            std::multimap<std::string, std::string, case_insensitive_less>>),
                   (pairing<bptree::map<std::string, int, case_insensitive_less,
                                        std::allocator<std::pair<const std::string, int>>, tiny>,
                            std::map<std::string, int, case_insensitive_less>>),
                   (pairing<bptree::set<int, std::greater<int>, std::allocator<int>, tiny>,
                            std::set<int, std::greater<int>>>),
                   (pairing<bptree::set<long long>, std::set<long long>>),
                   (pairing<bptree::multimap<int, std::string, std::less<int>,
                                             std::allocator<std::pair<const int, std::string>>, tiny_stable>,
                            std::multimap<int, std::string>>),
                   (pairing<bptree::set<std::string, std::less<std::string>, std::allocator<std::string>, tiny_stable>,
                            std::set<std::string>>),
                   (pairing<bptree::map<std::string, std::string, std::less<std::string>,
                                        bptree_test::counting_allocator<std::pair<const std::string, std::string>>,
                                        tiny>,
                            std::map<std::string, std::string>>),
                   (pairing<bptree::multimap<int, std::string>, std::multimap<int, std::string>>)) {
    const std::uint64_t seed = bptree_test::test_seed(20261125);
    INFO("seed " << seed);
    const std::size_t steps = 12000 * bptree_test::test_scale();
    for (const int key_range : {16, 300, 4000, 40000}) {
        INFO("key range " << key_range);
        differential<typename TestType::bptree_type, typename TestType::std_type> d(seed + static_cast<std::uint64_t>(key_range));
        d.run(steps, key_range);
    }
    // The counting-allocator pairing records into the default ledger: all memory returned, every
    // value and separator built was destroyed.
    const bptree_test::allocation_ledger& ledger = bptree_test::default_ledger();
    CHECK(ledger.allocations == ledger.deallocations);
    CHECK(ledger.live_bytes == 0);
    CHECK(ledger.constructions == ledger.destructions);
}

TEST_CASE("clear returns every node to the allocator", "[differential]") {
    bptree_test::allocation_ledger ledger;
    bptree::set<std::string, std::less<std::string>, bptree_test::counting_allocator<std::string>, tiny> s{
        bptree_test::counting_allocator<std::string>(&ledger)};
    for (int i = 0; i < 1000; ++i) s.insert(std::to_string(i));
    CHECK(ledger.live_bytes > 0);
    s.clear();
    CHECK(ledger.live_bytes == 0);
    CHECK(ledger.constructions == ledger.destructions);
    CHECK(s.stats().bytes_allocated == 0);
    s.insert("again");
    s.verify();
}
