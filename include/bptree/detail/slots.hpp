// File: bptree/detail/slots.hpp
// Layer: engine storage. Constructing, destroying and relocating the values in leaves and the
// separator keys in inner nodes, always through the user's allocator (allocator_traits construct
// and destroy, so pmr elements receive the container's memory resource), and a holder for one
// temporary object built the same way.
// Includes: config, standard headers.
//
// A slot holds an object of type T either directly or "boxed": as a pointer to a T in its own
// allocation (from the same allocator, rebound to T). Boxed slots are used for types whose move
// constructor may throw, and for values when Traits::stable_values asks for stable addresses.
//
// Relocation (move-construct into the destination, destroy the source) is how slots move inside
// and between nodes. It is noexcept: boxed slots relocate by copying a pointer, trivially
// copyable types with memmove, and everything else with its nothrow move constructor, so a node
// is never left half-moved.
#ifndef BPTREE_DETAIL_SLOTS_HPP
#define BPTREE_DETAIL_SLOTS_HPP

#include <cstddef>
#include <cstring>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

#include "bptree/detail/config.hpp"

namespace bptree {
inline namespace BPTREE_ABI_NAMESPACE {
namespace detail {

// What a node stores for an object of type T.
template <class T, bool Boxed>
using slot_of = std::conditional_t<Boxed, T*, T>;

// The object a slot holds: the slot itself, or what its box points at.
template <bool Boxed, class Slot>
decltype(auto) object_in(Slot& s) noexcept {
    if constexpr (Boxed) return *s;
    else return s;
}

// Operations on slots holding objects of type T. MoveSource turns a T& into the argument that
// move-constructs a T from it (map values move their const key through it).
template <class T, class Allocator, class MoveSource, bool Boxed, bool TriviallyRelocatable>
struct slot_ops {
    using object = T;
    using slot = slot_of<T, Boxed>;
    using allocator = typename std::allocator_traits<Allocator>::template rebind_alloc<T>;
    using traits = std::allocator_traits<allocator>;
    static constexpr bool boxed = Boxed;
    static constexpr bool bytewise = Boxed || TriviallyRelocatable;

    static T& object_of(slot& s) noexcept { return object_in<Boxed>(s); }
    static const T& object_of(const slot& s) noexcept { return object_in<Boxed>(s); }

    // Builds an object from args in the raw slot p. Strong: on a throw the slot stays raw.
    template <class... Args>
    static void construct(allocator& a, slot* p, Args&&... args) {
        if constexpr (Boxed) {
            T* box = traits::allocate(a, 1);
            try {
                traits::construct(a, box, std::forward<Args>(args)...);
            } catch (...) {
                traits::deallocate(a, box, 1);
                throw;
            }
            ::new (static_cast<void*>(p)) slot(box);
        } else {
            traits::construct(a, p, std::forward<Args>(args)...);
        }
    }
    // Boxed only: the slot p takes ownership of box (an object built with this allocator).
    static void adopt(slot* p, T* box) noexcept {
        static_assert(Boxed, "only boxed slots adopt objects");
        ::new (static_cast<void*>(p)) slot(box);
    }
    // Boxed only: hands the object over to the caller; the slot then destroys nothing.
    static T* release(slot& s) noexcept {
        static_assert(Boxed, "only boxed slots release objects");
        T* box = s;
        s = nullptr;
        return box;
    }
    // A boxed slot whose object was handed over (see release()) is null and destroys nothing.
    static void destroy(allocator& a, slot* p) noexcept {
        if constexpr (Boxed) {
            if (*p == nullptr) return;
            traits::destroy(a, *p);
            traits::deallocate(a, *p, 1);
        } else {
            traits::destroy(a, p);
        }
    }
    static void destroy_n(allocator& a, slot* p, std::size_t n) noexcept {
        if constexpr (Boxed || !std::is_trivially_destructible_v<T>) {
            for (std::size_t i = 0; i < n; ++i) destroy(a, p + i);
        } else {
            (void)a, (void)p, (void)n;
        }
    }
    static void relocate(allocator& a, slot* dst, slot* src) noexcept {
        if constexpr (bytewise) {
            std::memcpy(static_cast<void*>(dst), static_cast<const void*>(src), sizeof(slot));
        } else {
            traits::construct(a, dst, MoveSource{}(*src));
            traits::destroy(a, src);
        }
    }
    // Moves n slots from src to a non-overlapping dst.
    static void relocate_n(allocator& a, slot* dst, slot* src, std::size_t n) noexcept {
        if constexpr (bytewise) {
            if (n != 0) std::memcpy(static_cast<void*>(dst), static_cast<const void*>(src), n * sizeof(slot));
        } else {
            for (std::size_t i = 0; i < n; ++i) relocate(a, dst + i, src + i);
        }
    }
    // Moves the n slots at p to p + by (by > 0), opening a gap of `by` slots at p.
    static void shift_right(allocator& a, slot* p, std::size_t n, std::size_t by) noexcept {
        if constexpr (bytewise) {
            if (n != 0) std::memmove(static_cast<void*>(p + by), static_cast<const void*>(p), n * sizeof(slot));
        } else {
            for (std::size_t i = n; i-- > 0;) relocate(a, p + i + by, p + i);
        }
    }
    // Moves the n slots at p to p - by, closing a gap of `by` slots before p.
    static void shift_left(allocator& a, slot* p, std::size_t n, std::size_t by) noexcept {
        if constexpr (bytewise) {
            if (n != 0) std::memmove(static_cast<void*>(p - by), static_cast<const void*>(p), n * sizeof(slot));
        } else {
            for (std::size_t i = 0; i < n; ++i) relocate(a, p + i - by, p + i);
        }
    }
};

// Tag: a temp_slot that takes an existing slot by relocation.
struct relocate_from_t {
    explicit relocate_from_t() = default;
};
inline constexpr relocate_from_t relocate_from{};

// One slot built through an allocator in local storage; destroyed with the holder unless it was
// relocated away (relocate_to()).
template <class Ops>
class temp_slot {
public:
    using slot = typename Ops::slot;

    template <class... Args>
    explicit temp_slot(typename Ops::allocator& a, Args&&... args) : alloc_(a) {
        Ops::construct(alloc_, ptr(), std::forward<Args>(args)...);
    }
    // Takes the slot at src (which is left raw). noexcept.
    temp_slot(typename Ops::allocator& a, relocate_from_t, slot* src) noexcept : alloc_(a) {
        Ops::relocate(alloc_, ptr(), src);
    }
    temp_slot(const temp_slot&) = delete;
    temp_slot& operator=(const temp_slot&) = delete;
    ~temp_slot() {
        if (live_) Ops::destroy(alloc_, ptr());
    }

    typename Ops::object& get() noexcept { return Ops::object_of(*ptr()); }
    // Relocates the slot into dst; the holder no longer owns it.
    void relocate_to(slot* dst) noexcept {
        Ops::relocate(alloc_, dst, ptr());
        live_ = false;
    }
    // Undoes relocate_to(src): takes the slot back from src (which is left raw).
    void take_back(slot* src) noexcept {
        BPTREE_ASSERT(!live_);
        Ops::relocate(alloc_, ptr(), src);
        live_ = true;
    }

private:
    slot* ptr() noexcept { return std::launder(reinterpret_cast<slot*>(storage_)); }

    typename Ops::allocator& alloc_;
    alignas(slot) unsigned char storage_[sizeof(slot)];
    bool live_ = true;
};

// An argument that hands a slot an already built, separately allocated object (a node handle's
// value, when values are boxed): the slot adopts it instead of building one.
template <class T>
struct boxed_object {
    T* object;
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

}  // namespace detail
}  // namespace BPTREE_ABI_NAMESPACE
}  // namespace bptree

#endif  // BPTREE_DETAIL_SLOTS_HPP
