// File: bptree/detail/slots.hpp
// Layer: engine storage. Constructing, destroying and relocating the values in leaves and the
// separator keys in inner nodes, always through the user's allocator (allocator_traits construct
// and destroy, so pmr elements receive the container's memory resource), and a holder for one
// temporary object built the same way.
// Includes: config, standard headers.
//
// Relocation (move-construct into the destination, destroy the source) is how values and keys move
// inside and between nodes. Types whose bytes can be copied (trivially copyable) are relocated
// with memmove. Relocation is noexcept: a move constructor that throws while the engine shifts
// values cannot be undone without a second move, so such a throw ends in std::terminate (see the
// README's exception-safety section). Every std type and every type with a noexcept move is safe.
#ifndef BPTREE_DETAIL_SLOTS_HPP
#define BPTREE_DETAIL_SLOTS_HPP

#include <cstddef>
#include <cstring>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

#include "bptree/detail/config.hpp"

namespace bptree::detail {

// Operations on objects of type T in raw node storage. MoveSource turns a T& into the argument
// that move-constructs a T from it (map values move their const key through it).
template <class T, class Allocator, class MoveSource, bool TriviallyRelocatable>
struct slot_ops {
    using allocator = typename std::allocator_traits<Allocator>::template rebind_alloc<T>;
    using traits = std::allocator_traits<allocator>;

    template <class... Args>
    static void construct(allocator& a, T* p, Args&&... args) {
        traits::construct(a, p, std::forward<Args>(args)...);
    }
    static void destroy(allocator& a, T* p) noexcept { traits::destroy(a, p); }
    static void destroy_n(allocator& a, T* p, std::size_t n) noexcept {
        if constexpr (!std::is_trivially_destructible_v<T>) {
            for (std::size_t i = 0; i < n; ++i) destroy(a, p + i);
        } else {
            (void)a, (void)p, (void)n;
        }
    }
    static void relocate(allocator& a, T* dst, T* src) noexcept {
        if constexpr (TriviallyRelocatable) {
            std::memcpy(static_cast<void*>(dst), static_cast<const void*>(src), sizeof(T));
        } else {
            traits::construct(a, dst, MoveSource{}(*src));
            traits::destroy(a, src);
        }
    }
    // Moves n objects from src to a non-overlapping dst.
    static void relocate_n(allocator& a, T* dst, T* src, std::size_t n) noexcept {
        if constexpr (TriviallyRelocatable) {
            if (n != 0) std::memcpy(static_cast<void*>(dst), static_cast<const void*>(src), n * sizeof(T));
        } else {
            for (std::size_t i = 0; i < n; ++i) relocate(a, dst + i, src + i);
        }
    }
    // Moves the n objects at p to p + by (by > 0), opening a gap of `by` slots at p.
    static void shift_right(allocator& a, T* p, std::size_t n, std::size_t by) noexcept {
        if constexpr (TriviallyRelocatable) {
            if (n != 0) std::memmove(static_cast<void*>(p + by), static_cast<const void*>(p), n * sizeof(T));
        } else {
            for (std::size_t i = n; i-- > 0;) relocate(a, p + i + by, p + i);
        }
    }
    // Moves the n objects at p to p - by, closing a gap of `by` slots before p.
    static void shift_left(allocator& a, T* p, std::size_t n, std::size_t by) noexcept {
        if constexpr (TriviallyRelocatable) {
            if (n != 0) std::memmove(static_cast<void*>(p - by), static_cast<const void*>(p), n * sizeof(T));
        } else {
            for (std::size_t i = 0; i < n; ++i) relocate(a, p + i - by, p + i);
        }
    }
};

// One object of type T built through an allocator in local storage; destroyed with the holder
// unless it was relocated away (release()).
template <class Ops, class T>
class temp_slot {
public:
    template <class... Args>
    explicit temp_slot(typename Ops::allocator& a, Args&&... args) : alloc_(a) {
        Ops::construct(alloc_, ptr(), std::forward<Args>(args)...);
    }
    temp_slot(const temp_slot&) = delete;
    temp_slot& operator=(const temp_slot&) = delete;
    ~temp_slot() {
        if (live_) Ops::destroy(alloc_, ptr());
    }

    T& get() noexcept { return *ptr(); }
    T* ptr() noexcept { return std::launder(reinterpret_cast<T*>(storage_)); }
    // Relocates the object into dst; the holder no longer owns it.
    void relocate_to(T* dst) noexcept {
        Ops::relocate(alloc_, dst, ptr());
        live_ = false;
    }

private:
    typename Ops::allocator& alloc_;
    alignas(T) unsigned char storage_[sizeof(T)];
    bool live_ = true;
};

struct move_ref {
    template <class T>
    T&& operator()(T& t) const noexcept {
        return std::move(t);
    }
};

template <class Params>
struct movable_value {
    decltype(auto) operator()(typename Params::value_type& v) const noexcept {
        return Params::movable(v);
    }
};

}  // namespace bptree::detail

#endif  // BPTREE_DETAIL_SLOTS_HPP
