// verify() itself: every invariant of node.hpp is corrupted in turn, and verify() must throw
// std::logic_error naming that invariant. A test peer (tree_test_access) reaches the internals.
#include <catch2/catch.hpp>

#include <functional>
#include <memory>
#include <stdexcept>

#include "bptree/set.hpp"

namespace bptree::detail {
template <class Tree>
struct tree_test_access {
    using leaf_type = typename Tree::leaf_type;
    using inner_type = typename Tree::inner_type;
    static Tree& tree(container_base<Tree>& c) { return c.tree_; }
    static typename Tree::node_type*& root(Tree& t) { return t.root_; }
    static leaf_type*& first_leaf(Tree& t) { return t.first_leaf_; }
    static leaf_type*& last_leaf(Tree& t) { return t.last_leaf_; }
    static std::size_t& size(Tree& t) { return t.size_; }
    static void* allocate_leaf(Tree& t) { return t.leaves_.allocate(); }
    static void deallocate_leaf(Tree& t, void* p) { t.leaves_.deallocate(p); }
};
}  // namespace bptree::detail

namespace {

using tiny_set = bptree::set<int, std::less<int>, std::allocator<int>, bptree::slot_traits<4, 4>>;
using tree_type = bptree::detail::tree<bptree::detail::set_params<int, std::less<int>, std::allocator<int>,
                                                                  bptree::slot_traits<4, 4>, false>>;
using access = bptree::detail::tree_test_access<tree_type>;

tiny_set make_deep_set() {
    tiny_set s;
    for (int i = 0; i < 200; ++i) s.insert((i * 37) % 200);  // random-ish order: half-full nodes
    s.verify();
    REQUIRE(s.stats().height >= 3);
    return s;
}

// The second leaf (not on the rightmost path, not the root).
tree_type::leaf_type* second_leaf(tree_type& t) { return access::first_leaf(t)->next; }
tree_type::inner_type* root_inner(tree_type& t) { return static_cast<tree_type::inner_type*>(access::root(t)); }

}  // namespace

using Catch::Matchers::Contains;

TEST_CASE("verify names a value out of order (I1)", "[verify]") {
    tiny_set s = make_deep_set();
    auto* leaf = second_leaf(access::tree(s));
    std::swap(leaf->value(0), leaf->value(1));
    CHECK_THROWS_WITH(s.verify(), Contains("I1 order"));
    std::swap(leaf->value(0), leaf->value(1));
    s.verify();
}

TEST_CASE("verify names a separator that does not bound its children (I2)", "[verify]") {
    tiny_set s = make_deep_set();
    auto* root = root_inner(access::tree(s));
    int& separator = root->key(0);
    const int saved = separator;
    separator = -1000;  // now the left subtree holds keys greater than its upper separator
    CHECK_THROWS_WITH(s.verify(), Contains("I2 separators"));
    separator = saved;
    s.verify();
}

TEST_CASE("verify names a node below its minimum fill (I3)", "[verify]") {
    tiny_set s = make_deep_set();
    auto* leaf = second_leaf(access::tree(s));
    const auto saved = leaf->count;
    leaf->count = 1;  // minimum is 2 for leaves of 4
    CHECK_THROWS_WITH(s.verify(), Contains("I3 fill"));
    leaf->count = saved;
    s.verify();
}

TEST_CASE("verify names a leaf whose values run past its storage (I3)", "[verify]") {
    tiny_set s = make_deep_set();
    auto* leaf = second_leaf(access::tree(s));
    const auto saved = leaf->first;
    leaf->first = static_cast<std::uint16_t>(4 - leaf->count + 1);  // capacity 4: one slot too far
    CHECK_THROWS_WITH(s.verify(), Contains("I3 fill") && Contains("past its capacity"));
    leaf->first = saved;
    s.verify();
}

TEST_CASE("verify names a wrong subtree count (I4)", "[verify]") {
    tiny_set s = make_deep_set();
    auto* root = root_inner(access::tree(s));
    root->counts[0] += 1;
    CHECK_THROWS_WITH(s.verify(), Contains("I4 counts"));
    root->counts[0] -= 1;
    s.verify();
}

TEST_CASE("verify names a node at the wrong level (I5)", "[verify]") {
    tiny_set s = make_deep_set();
    auto* child = static_cast<tree_type::inner_type*>(root_inner(access::tree(s))->children[0]);
    REQUIRE(child->level >= 1);
    child->level = static_cast<std::uint8_t>(child->level + 1);
    CHECK_THROWS_WITH(s.verify(), Contains("I5 levels"));
    child->level = static_cast<std::uint8_t>(child->level - 1);
    s.verify();
}

TEST_CASE("verify names a child that does not point back to its parent (I6)", "[verify]") {
    tiny_set s = make_deep_set();
    auto* child = root_inner(access::tree(s))->children[1];
    child->position = 0;
    CHECK_THROWS_WITH(s.verify(), Contains("I6 links"));
    child->position = 1;
    s.verify();
}

TEST_CASE("verify names a broken leaf chain or end-leaf cache (I7)", "[verify]") {
    tiny_set s = make_deep_set();
    auto& t = access::tree(s);
    SECTION("a prev link") {
        auto* leaf = second_leaf(t);
        auto* saved = leaf->prev;
        leaf->prev = nullptr;
        CHECK_THROWS_WITH(s.verify(), Contains("I7 leaf chain"));
        leaf->prev = saved;
    }
    SECTION("the last-leaf cache") {
        auto* saved = access::last_leaf(t);
        access::last_leaf(t) = saved->prev;
        CHECK_THROWS_WITH(s.verify(), Contains("I7 leaf chain"));
        access::last_leaf(t) = saved;
    }
    SECTION("the first-leaf cache") {
        auto* saved = access::first_leaf(t);
        access::first_leaf(t) = saved->next;
        CHECK_THROWS_WITH(s.verify(), Contains("I7 leaf chain"));
        access::first_leaf(t) = saved;
    }
    s.verify();
}

TEST_CASE("verify names a wrong size (I8)", "[verify]") {
    tiny_set s = make_deep_set();
    access::size(access::tree(s)) += 1;
    CHECK_THROWS_WITH(s.verify(), Contains("I8 size"));
    access::size(access::tree(s)) -= 1;
    s.verify();
}

TEST_CASE("verify names a node the pool handed out but the tree does not hold (I9)", "[verify]") {
    tiny_set s = make_deep_set();
    void* stray = access::allocate_leaf(access::tree(s));
    CHECK_THROWS_WITH(s.verify(), Contains("I9 pool"));
    access::deallocate_leaf(access::tree(s), stray);
    s.verify();
}

TEST_CASE("verify accepts the empty tree and a single leaf", "[verify]") {
    tiny_set s;
    s.verify();
    s.insert(1);
    s.verify();
    s.erase(1);
    s.verify();
    access::size(access::tree(s)) = 1;
    CHECK_THROWS_WITH(s.verify(), Contains("I8 size"));
    access::size(access::tree(s)) = 0;
}
