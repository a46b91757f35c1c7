// Fuzz target "containers": operations decoded from the input run on a bptree container and on
// its std counterpart (std::set / std::multiset / std::map / std::multimap); every result is
// compared (iterators as indices), the contents are compared and verify() runs after every step.
// The first byte picks the container: set, multiset, map, multimap over int keys with tiny nodes
// (bptree::slot_traits<3, 4>: a few dozen keys make a deep tree) or default nodes, or over string
// keys with tiny nodes (values that are not trivially relocatable).

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "bptree/map.hpp"
#include "bptree/set.hpp"
#include "byte_reader.hpp"
#include "fuzz_run.hpp"
#include "support/container_traits.hpp"

namespace {

using bptree_fuzz::byte_reader;
using tiny = bptree::slot_traits<3, 4>;

using bptree_test::is_map_v;
using bptree_test::is_multi_v;
using bptree_test::key_of;

template <class K>
K make_key(unsigned v) {
    if constexpr (std::is_same_v<K, std::string>) {
        // Zero-padded, so that string order is numeric order; long enough to live on the heap.
        std::string s = std::to_string(v);
        return std::string(20 - s.size(), '0') + s;
    } else {
        return static_cast<K>(v);
    }
}

template <class C>
typename C::value_type make_value(unsigned k, unsigned m) {
    if constexpr (is_map_v<C>) {
        return {make_key<typename C::key_type>(k), make_key<typename C::mapped_type>(m)};
    } else {
        (void)m;
        return make_key<typename C::key_type>(k);
    }
}

template <class B, class S>
class runner {
public:
    using value_type = typename B::value_type;
    using key_type = typename B::key_type;

    explicit runner(byte_reader& in, unsigned key_space) : in_(in), key_space_(key_space) {}

    void run() {
        for (int step = 0; step < 3000 && !in_.empty(); ++step) {
            op_ = in_.u8();
            step_ = step;
            apply(op_ % 24);
            check();
        }
    }

private:
    std::string where() const { return "step " + std::to_string(step_) + ", op " + std::to_string(op_ % 24); }

    unsigned next_key() { return static_cast<unsigned>(in_.below(key_space_)); }
    value_type next_value() { return make_value<B>(next_key(), in_.u8()); }
    std::size_t next_index(std::size_t n) { return n == 0 ? 0 : in_.below(n + 1); }

    template <class It>
    std::size_t idx(const B& b, It it) const {
        return b.index_of(it);
    }
    template <class It>
    std::size_t sidx(const S& s, It it) const {
        return static_cast<std::size_t>(std::distance(s.begin(), typename S::const_iterator(it)));
    }

    template <class T>
    void same(const T& x, const T& y, const char* what) {
        BPTREE_FUZZ_CHECK(x == y, where() + ": " + what);
    }

    // A hint for inserting key k: any position, or (multi containers, every other time) a
    // position in k's own equal run, where the hint decides the value's place among its equals.
    std::size_t hint_index(const key_type& k) {
        const std::size_t any = next_index(s_.size());
        if constexpr (is_multi_v<S>) {
            if (any % 2 == 0) {
                const std::size_t lo = sidx(s_, s_.lower_bound(k));
                const std::size_t hi = sidx(s_, s_.upper_bound(k));
                return lo + any / 2 % (hi - lo + 1);
            }
        }
        (void)k;
        return any;
    }

    void apply(unsigned op) {
        switch (op) {
            case 0:
            case 1: {  // insert(const value&)
                const value_type v = next_value();
                if constexpr (is_multi_v<S>) {
                    same(idx(b_, b_.insert(v)), sidx(s_, s_.insert(v)), "insert");
                } else {
                    const auto rb = b_.insert(v);
                    const auto rs = s_.insert(v);
                    same(rb.second, rs.second, "insert inserted");
                    same(idx(b_, rb.first), sidx(s_, rs.first), "insert position");
                }
                break;
            }
            case 2: {  // insert(hint, value&&)
                value_type v = next_value();
                value_type w = v;
                const std::size_t h = hint_index(key_of<B>(v));
                const auto rb = b_.insert(b_.nth(h), std::move(v));
                const auto rs = s_.insert(std::next(s_.begin(), static_cast<std::ptrdiff_t>(h)), std::move(w));
                same(idx(b_, rb), sidx(s_, rs), "insert(hint) position");
                break;
            }
            case 3: {  // emplace / emplace_hint
                const unsigned k = next_key();
                const unsigned m = in_.u8();
                if constexpr (is_map_v<B>) {
                    using K = typename B::key_type;
                    using M = typename B::mapped_type;
                    if (in_.u8() % 2 == 0) {
                        const auto rb = b_.emplace(make_key<K>(k), make_key<M>(m));
                        const auto rs = s_.emplace(make_key<K>(k), make_key<M>(m));
                        if constexpr (is_multi_v<S>) {
                            same(idx(b_, rb), sidx(s_, rs), "emplace");
                        } else {
                            same(idx(b_, rb.first), sidx(s_, rs.first), "emplace");
                        }
                    } else {
                        const std::size_t h = hint_index(make_key<K>(k));
                        const auto rb = b_.emplace_hint(b_.nth(h), make_key<K>(k), make_key<M>(m));
                        const auto rs = s_.emplace_hint(std::next(s_.begin(), static_cast<std::ptrdiff_t>(h)),
                                                        make_key<K>(k), make_key<M>(m));
                        same(idx(b_, rb), sidx(s_, rs), "emplace_hint");
                    }
                } else {
                    const auto rb = b_.emplace(make_key<key_type>(k));
                    const auto rs = s_.emplace(make_key<key_type>(k));
                    if constexpr (is_multi_v<S>) {
                        same(idx(b_, rb), sidx(s_, rs), "emplace");
                    } else {
                        same(idx(b_, rb.first), sidx(s_, rs.first), "emplace");
                    }
                }
                break;
            }
            case 4:
            case 5: {  // erase(key)
                const key_type k = make_key<key_type>(next_key());
                same(b_.erase(k), s_.erase(k), "erase(key)");
                break;
            }
            case 6: {  // erase(iterator)
                if (s_.empty()) break;
                const std::size_t i = in_.below(s_.size());
                const auto rb = b_.erase(b_.nth(i));
                const auto rs = s_.erase(std::next(s_.begin(), static_cast<std::ptrdiff_t>(i)));
                same(idx(b_, rb), sidx(s_, rs), "erase(iterator)");
                break;
            }
            case 7: {  // erase(first, last)
                std::size_t i = next_index(s_.size());
                std::size_t j = next_index(s_.size());
                if (i > j) std::swap(i, j);
                const auto rb = b_.erase(b_.nth(i), b_.nth(j));
                const auto rs = s_.erase(std::next(s_.begin(), static_cast<std::ptrdiff_t>(i)),
                                         std::next(s_.begin(), static_cast<std::ptrdiff_t>(j)));
                same(idx(b_, rb), sidx(s_, rs), "erase(range)");
                break;
            }
            case 8:
            case 9: {  // lookups, ranks and positions
                const key_type k = make_key<key_type>(next_key());
                same(b_.contains(k), s_.find(k) != s_.end(), "contains");
                same(b_.count(k), s_.count(k), "count");
                same(idx(b_, b_.find(k)), sidx(s_, s_.find(k)), "find");
                same(idx(b_, b_.lower_bound(k)), sidx(s_, s_.lower_bound(k)), "lower_bound");
                same(idx(b_, b_.upper_bound(k)), sidx(s_, s_.upper_bound(k)), "upper_bound");
                same(b_.rank(k), sidx(s_, s_.lower_bound(k)), "rank");
                const auto eb = b_.equal_range(k);
                const auto es = s_.equal_range(k);
                same(idx(b_, eb.first), sidx(s_, es.first), "equal_range.first");
                same(idx(b_, eb.second), sidx(s_, es.second), "equal_range.second");
                const std::size_t i = next_index(s_.size() + 2);
                const auto nb = b_.nth(i);
                same(idx(b_, nb), std::min(i, s_.size()), "nth/index_of");
                if (i < s_.size()) same(*nb == *std::next(s_.begin(), static_cast<std::ptrdiff_t>(i)), true, "*nth");
                if constexpr (is_map_v<B> && !is_multi_v<S>) {
                    const bool present = s_.count(k) != 0;
                    bool threw = false;
                    try {
                        const auto& m = b_.at(k);
                        same(m == s_.at(k), true, "at");
                    } catch (const std::out_of_range&) {
                        threw = true;
                    }
                    same(threw, !present, "at throws when absent");
                }
                break;
            }
            case 10: {  // extract and node insert
                const key_type k = make_key<key_type>(next_key());
                auto nb = b_.extract(k);
                auto ns = s_.extract(k);
                same(nb.empty(), ns.empty(), "extract(key)");
                if (!ns.empty() && in_.u8() % 2 == 0) {
                    if constexpr (is_multi_v<S>) {
                        same(idx(b_, b_.insert(std::move(nb))), sidx(s_, s_.insert(std::move(ns))), "insert(node)");
                    } else {
                        const auto rb = b_.insert(std::move(nb));
                        const auto rs = s_.insert(std::move(ns));
                        same(rb.inserted, rs.inserted, "insert(node).inserted");
                        same(idx(b_, rb.position), sidx(s_, rs.position), "insert(node).position");
                    }
                }
                break;
            }
            case 11: {  // pop_front / pop_back
                if (s_.empty()) break;
                if (in_.u8() % 2 == 0) {
                    b_.pop_front();
                    s_.erase(s_.begin());
                } else {
                    b_.pop_back();
                    s_.erase(std::prev(s_.end()));
                }
                break;
            }
            case 12:
            case 13: {  // replace(pos, value)
                if (s_.empty()) break;
                const std::size_t i = in_.below(s_.size());
                const value_type v = next_value();
                const auto rb = b_.replace(b_.nth(i), v);
                const auto rs = model_replace(i, v);
                same(rb.second, rs.second, "replace changed");
                same(idx(b_, rb.first), rs.first, "replace position");
                break;
            }
            case 14: {  // map members
                if constexpr (is_map_v<B> && !is_multi_v<S>) {
                    using M = typename B::mapped_type;
                    const key_type k = make_key<key_type>(next_key());
                    const M m = make_key<M>(in_.u8());
                    switch (in_.u8() % 4) {
                        case 0:
                            b_[k] = m;
                            s_[k] = m;
                            break;
                        case 1: {
                            const auto rb = b_.try_emplace(k, m);
                            const auto rs = s_.try_emplace(k, m);
                            same(rb.second, rs.second, "try_emplace");
                            same(idx(b_, rb.first), sidx(s_, rs.first), "try_emplace position");
                            break;
                        }
                        case 2: {
                            const auto rb = b_.insert_or_assign(k, m);
                            const auto rs = s_.insert_or_assign(k, m);
                            same(rb.second, rs.second, "insert_or_assign");
                            break;
                        }
                        default: {
                            const std::size_t h = next_index(s_.size());
                            const auto rb = b_.insert_or_assign(b_.nth(h), k, m);
                            const auto rs =
                                s_.insert_or_assign(std::next(s_.begin(), static_cast<std::ptrdiff_t>(h)), k, m);
                            same(idx(b_, rb), sidx(s_, rs), "insert_or_assign(hint)");
                            break;
                        }
                    }
                } else {
                    apply(0);
                }
                break;
            }
            case 15: {  // range insert and merge
                std::vector<value_type> vs;
                const std::size_t n = in_.u8() % 24;
                for (std::size_t i = 0; i < n; ++i) vs.push_back(next_value());
                if (in_.u8() % 2 == 0) {
                    b_.insert(vs.begin(), vs.end());
                    s_.insert(vs.begin(), vs.end());
                } else {
                    B bo(vs.begin(), vs.end());
                    S so(vs.begin(), vs.end());
                    b_.merge(bo);
                    s_.merge(so);
                    compare(bo, so, "merge source");
                    bo.verify();
                }
                break;
            }
            case 16: {  // erase_if
                const unsigned mod = 2 + in_.u8() % 7;
                const unsigned rest = in_.u8() % mod;
                const auto pred = [&](const value_type& v) { return key_number(key_of<B>(v)) % mod == rest; };
                std::size_t erased_s = 0;
                for (auto it = s_.begin(); it != s_.end();) {
                    if (pred(*it)) {
                        it = s_.erase(it);
                        ++erased_s;
                    } else {
                        ++it;
                    }
                }
                same(static_cast<std::size_t>(erase_if(b_, pred)), erased_s, "erase_if");
                break;
            }
            case 17: {  // copies, moves, swaps, assignment
                switch (in_.u8() % 5) {
                    case 0: {
                        B copy(b_);
                        copy.verify();
                        compare(copy, s_, "copy");
                        b_ = std::move(copy);
                        break;
                    }
                    case 1: {
                        B other;
                        other = b_;
                        b_.clear();
                        b_.swap(other);
                        break;
                    }
                    case 2: {
                        B moved(std::move(b_));
                        b_ = moved;
                        break;
                    }
                    case 3: b_.shrink_to_fit(); break;
                    default: {  // sorted bulk load of the current contents
                        const std::vector<value_type> sorted(s_.begin(), s_.end());
                        if constexpr (is_multi_v<S>) {
                            b_ = B(bptree::sorted_equivalent, sorted.begin(), sorted.end());
                        } else {
                            b_ = B(bptree::sorted_unique, sorted.begin(), sorted.end());
                        }
                        break;
                    }
                }
                break;
            }
            case 18: {  // clear, rarely
                if (in_.u8() % 8 == 0) {
                    b_.clear();
                    s_.clear();
                }
                break;
            }
            case 19: {  // reverse iteration and front/back
                if (!s_.empty()) {
                    same(b_.front() == *s_.begin(), true, "front");
                    same(b_.back() == *s_.rbegin(), true, "back");
                }
                same(std::equal(b_.rbegin(), b_.rend(), s_.rbegin(), s_.rend()), true, "reverse iteration");
                break;
            }
            default:
                apply(op % 4);  // more inserts than anything else: trees grow
                break;
        }
    }

    template <class K>
    static unsigned key_number(const K& k) {
        if constexpr (std::is_same_v<K, std::string>) {
            return static_cast<unsigned>(std::stoul(k));
        } else {
            return static_cast<unsigned>(k);
        }
    }

    // The engine's replace() on the model: (index of the result, whether anything changed).
    std::pair<std::size_t, bool> model_replace(std::size_t i, const value_type& v) {
        const auto r = bptree_test::model_replace(s_, std::next(s_.begin(), static_cast<std::ptrdiff_t>(i)), v);
        return {sidx(s_, r.first), r.second};
    }

    void compare(const B& b, const S& s, const char* what) {
        same(b.size(), s.size(), what);
        same(std::equal(b.begin(), b.end(), s.begin(), s.end()), true, what);
    }

    void check() {
        try {
            b_.verify();
        } catch (const std::logic_error& e) {
            bptree_fuzz::fail(where() + ": verify(): " + e.what());
        }
        compare(b_, s_, "contents");
        same(b_.empty(), s_.empty(), "empty");
    }

    byte_reader& in_;
    unsigned key_space_;
    B b_;
    S s_;
    unsigned op_ = 0;
    int step_ = 0;
};

template <class B, class S>
void run(byte_reader& in, unsigned key_space) {
    runner<B, S> r(in, key_space);
    r.run();
}

}  // namespace

BPTREE_FUZZ_TARGET(containers) {
    byte_reader in(data, size);
    using str = std::string;
    switch (in.u8() % 10) {
        case 0: run<bptree::set<int, std::less<int>, std::allocator<int>, tiny>, std::set<int>>(in, 256); break;
        case 1:
            run<bptree::multiset<int, std::less<int>, std::allocator<int>, tiny>, std::multiset<int>>(in, 64);
            break;
        case 2:
            run<bptree::map<int, int, std::less<int>, std::allocator<std::pair<const int, int>>, tiny>,
                std::map<int, int>>(in, 256);
            break;
        case 3:
            run<bptree::multimap<int, int, std::less<int>, std::allocator<std::pair<const int, int>>, tiny>,
                std::multimap<int, int>>(in, 64);
            break;
        case 4: run<bptree::set<int>, std::set<int>>(in, 4096); break;
        case 5: run<bptree::multiset<int>, std::multiset<int>>(in, 512); break;
        case 6: run<bptree::map<int, int>, std::map<int, int>>(in, 4096); break;
        case 7: run<bptree::multimap<int, int>, std::multimap<int, int>>(in, 512); break;
        case 8: run<bptree::set<str, std::less<str>, std::allocator<str>, tiny>, std::set<str>>(in, 256); break;
        default:
            run<bptree::multimap<str, str, std::less<str>, std::allocator<std::pair<const str, str>>, tiny>,
                std::multimap<str, str>>(in, 64);
            break;
    }
}
