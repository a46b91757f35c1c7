// File: bptree/detail/node_handle.hpp
// Layer: container support. The node handle of extract() and insert(node_type&&): it owns one
// value outside any tree, in storage taken from the container's allocator, as std's node handles
// do. (A B-tree has no per-value node; the value is moved into the handle and back.)
// Includes: config, standard headers.
#ifndef BPTREE_DETAIL_NODE_HANDLE_HPP
#define BPTREE_DETAIL_NODE_HANDLE_HPP

#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include "bptree/detail/config.hpp"

namespace bptree {
inline namespace BPTREE_ABI_NAMESPACE {
namespace detail {

struct node_handle_access;

template <class Params, class Derived>
class node_handle_base {
public:
    using allocator_type = typename Params::allocator_type;
    using value_type = typename Params::value_type;

protected:
    using params_type = Params;
    using value_allocator = typename std::allocator_traits<allocator_type>::template rebind_alloc<value_type>;
    using value_traits = std::allocator_traits<value_allocator>;

public:
    constexpr node_handle_base() noexcept = default;
    node_handle_base(node_handle_base&& other) noexcept
        : alloc_(std::move(other.alloc_)), value_(std::exchange(other.value_, nullptr)) {
        other.alloc_.reset();
    }
    node_handle_base& operator=(node_handle_base&& other) noexcept {
        reset();
        if (other.value_ != nullptr) {
            if constexpr (std::allocator_traits<allocator_type>::propagate_on_container_move_assignment::value) {
                alloc_ = std::move(other.alloc_);
            } else if (!alloc_) {
                alloc_ = std::move(other.alloc_);
            }
            value_ = std::exchange(other.value_, nullptr);
            other.alloc_.reset();
        }
        return *this;
    }
    ~node_handle_base() { reset(); }

    [[nodiscard]] bool empty() const noexcept { return value_ == nullptr; }
    explicit operator bool() const noexcept { return value_ != nullptr; }
    allocator_type get_allocator() const {
        BPTREE_ASSERT(!empty());
        return *alloc_;
    }

    void swap(Derived& other) noexcept {
        using std::swap;
        swap(value_, other.value_);
        swap(alloc_, other.alloc_);
    }
    friend void swap(Derived& a, Derived& b) noexcept { a.swap(b); }

protected:
    friend struct node_handle_access;

    value_type& value_ref() const noexcept { return *value_; }

    void reset() noexcept {
        if (value_ != nullptr) {
            value_allocator va(*alloc_);
            value_traits::destroy(va, value_);
            value_traits::deallocate(va, value_, 1);
            value_ = nullptr;
            alloc_.reset();
        }
    }

    std::optional<allocator_type> alloc_;
    value_type* value_ = nullptr;
};

template <class Params, bool IsMap = Params::is_map>
class node_handle : public node_handle_base<Params, node_handle<Params, IsMap>> {
    using base = node_handle_base<Params, node_handle<Params, IsMap>>;

public:
    using value_type = typename Params::value_type;
    using allocator_type = typename Params::allocator_type;
    constexpr node_handle() noexcept = default;
    value_type& value() const noexcept {
        BPTREE_ASSERT(!this->empty());
        return this->value_ref();
    }

private:
    friend struct node_handle_access;
};

template <class Params>
class node_handle<Params, true> : public node_handle_base<Params, node_handle<Params, true>> {
    using base = node_handle_base<Params, node_handle<Params, true>>;

public:
    using key_type = typename Params::key_type;
    using mapped_type = typename Params::mapped_type;
    using value_type = typename Params::value_type;
    using allocator_type = typename Params::allocator_type;
    constexpr node_handle() noexcept = default;
    // The key may be changed before the handle is inserted again, as with std::map's handles.
    key_type& key() const noexcept {
        BPTREE_ASSERT(!this->empty());
        return const_cast<key_type&>(this->value_ref().first);
    }
    mapped_type& mapped() const noexcept {
        BPTREE_ASSERT(!this->empty());
        return this->value_ref().second;
    }

private:
    friend struct node_handle_access;
};

// What the containers may do with a handle beyond its public interface.
struct node_handle_access {
    // A handle owning the value that erase(take) hands to take: the handle's storage is allocated
    // before erase runs, so nothing can fail once the value has left the container (erase itself
    // calls take only after every step that may throw).
    template <class NodeHandle, class Erase>
    static NodeHandle take_from(const typename NodeHandle::allocator_type& a, Erase&& erase) {
        using value_type = typename NodeHandle::value_type;
        NodeHandle nh;
        if constexpr (NodeHandle::params_type::boxed_values) {
            // The slot holds a pointer to the value: the handle takes the pointer, the value stays.
            value_type* box = nullptr;
            erase([&](value_type*& slot) {
                box = slot;
                slot = nullptr;  // the tree then destroys nothing in this slot
            });
            nh.value_ = box;
        } else {
            using value_allocator = typename NodeHandle::value_allocator;
            using value_traits = typename NodeHandle::value_traits;
            value_allocator va(a);
            value_type* p = value_traits::allocate(va, 1);
            try {
                erase([&](value_type& v) { value_traits::construct(va, p, NodeHandle::params_type::movable(v)); });
            } catch (...) {
                value_traits::deallocate(va, p, 1);
                throw;
            }
            nh.value_ = p;
        }
        nh.alloc_ = a;
        return nh;
    }
    // The handle gives up its value without destroying it (a tree slot adopted it).
    template <class NodeHandle>
    static void release(NodeHandle& nh) noexcept {
        nh.value_ = nullptr;
        nh.alloc_.reset();
    }
    template <class NodeHandle>
    static typename NodeHandle::value_type& value(const NodeHandle& nh) noexcept {
        return nh.value_ref();
    }
    template <class NodeHandle>
    static void reset(NodeHandle& nh) noexcept {
        nh.reset();
    }
};

// The result of a unique container's insert(node_type&&).
template <class Iterator, class NodeType>
struct insert_return_type {
    Iterator position;
    bool inserted;
    NodeType node;
};

}  // namespace detail
}  // namespace BPTREE_ABI_NAMESPACE
}  // namespace bptree

#endif  // BPTREE_DETAIL_NODE_HANDLE_HPP
