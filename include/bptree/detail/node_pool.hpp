// File: bptree/detail/node_pool.hpp
// Layer: engine memory. Fixed-size blocks for nodes, taken in chunks from the user's allocator
// (through std::allocator_traits, so std::pmr allocators work) and reused through a free list.
// Includes: config, standard headers.
//
// Chunk layout:  [ chunk_header | block 0 | block 1 | ... | block n-1 ]
// Chunks grow geometrically (1, 2, 4, ... blocks, up to max_chunk_bytes), so a tree of a few
// values costs one small allocation and a large tree costs one allocator call per many nodes.
// Blocks are handed out from the newest chunk with a bump pointer (untouched memory is never
// written before it is needed) and freed blocks go to a LIFO free list that is served first.
// Memory returns to the allocator only in release_all() (clear, destructor): a tree that shrinks
// keeps its blocks for reuse.
#ifndef BPTREE_DETAIL_NODE_POOL_HPP
#define BPTREE_DETAIL_NODE_POOL_HPP

#include <cstddef>
#include <memory>
#include <type_traits>
#include <utility>

#include "bptree/detail/config.hpp"

namespace bptree {
inline namespace BPTREE_ABI_NAMESPACE {
namespace detail {

// Holds an allocator or comparator without spending space on an empty one (empty-base
// optimization).
template <class T, bool = std::is_empty_v<T> && !std::is_final_v<T>>
class ebo_holder : private T {
public:
    explicit ebo_holder(const T& t) : T(t) {}
    T& get() noexcept { return *this; }
    const T& get() const noexcept { return *this; }
};
template <class T>
class ebo_holder<T, false> {
public:
    explicit ebo_holder(const T& t) : value_(t) {}
    T& get() noexcept { return value_; }
    const T& get() const noexcept { return value_; }

private:
    T value_;
};

template <class Allocator, std::size_t BlockSize, std::size_t BlockAlign>
class node_pool {
    struct alignas(BlockAlign) unit {
        unsigned char bytes[BlockAlign];
    };
    using unit_allocator = typename std::allocator_traits<Allocator>::template rebind_alloc<unit>;
    using unit_traits = std::allocator_traits<unit_allocator>;
    static_assert(std::is_same_v<typename unit_traits::pointer, unit*>,
                  "bptree: the allocator must use raw pointers");
    static_assert(BlockSize % BlockAlign == 0, "bptree: a block must be a whole number of units");

    struct chunk_header {
        chunk_header* next;
        std::size_t units;
    };
    struct free_block {
        free_block* next;
    };
    static constexpr std::size_t header_units = (sizeof(chunk_header) + BlockAlign - 1) / BlockAlign;
    static constexpr std::size_t units_per_block = BlockSize / BlockAlign;

public:
    using allocator_type = Allocator;
    static constexpr std::size_t block_size = BlockSize;
    static constexpr std::size_t max_chunk_bytes = 64 * 1024;
    static constexpr std::size_t max_chunk_blocks =
        max_chunk_bytes / BlockSize > 1 ? max_chunk_bytes / BlockSize : 1;

    explicit node_pool(const Allocator& a) : alloc_(unit_allocator(a)) {}
    node_pool(node_pool&& other) noexcept
        : alloc_(std::move(other.alloc_.get())),
          free_(std::exchange(other.free_, nullptr)),
          chunks_(std::exchange(other.chunks_, nullptr)),
          bump_(std::exchange(other.bump_, nullptr)),
          bump_end_(std::exchange(other.bump_end_, nullptr)),
          next_chunk_blocks_(std::exchange(other.next_chunk_blocks_, 1)),
          live_blocks_(std::exchange(other.live_blocks_, 0)),
          bytes_allocated_(std::exchange(other.bytes_allocated_, 0)),
          chunk_allocations_(std::exchange(other.chunk_allocations_, 0)) {}
    node_pool(const node_pool&) = delete;
    node_pool& operator=(const node_pool&) = delete;
    node_pool& operator=(node_pool&&) = delete;
    ~node_pool() { release_all(); }

    Allocator get_allocator() const { return Allocator(alloc_.get()); }

    // Returns uninitialized storage for one block. Throws what the allocator throws; then the pool
    // is unchanged.
    void* allocate() {
        void* block;
        if (free_ != nullptr) {
            block = free_;
            free_ = free_->next;
        } else {
            if (bump_ == bump_end_) grow();
            block = bump_;
            bump_ += units_per_block;
        }
        ++live_blocks_;
        return block;
    }

    void deallocate(void* block) noexcept {
        BPTREE_ASSERT(live_blocks_ > 0);
        auto* f = static_cast<free_block*>(block);
        f->next = free_;
        free_ = f;
        --live_blocks_;
    }

    // Returns every chunk to the allocator. Blocks still handed out are abandoned with their
    // chunk (the tree's clear() destroys the objects in them first and then calls this).
    void release_all() noexcept {
        while (chunks_ != nullptr) {
            chunk_header* next = chunks_->next;
            const std::size_t units = chunks_->units;
            unit_traits::deallocate(alloc_.get(), reinterpret_cast<unit*>(chunks_), units);
            chunks_ = next;
        }
        free_ = nullptr;
        bump_ = bump_end_ = nullptr;
        next_chunk_blocks_ = 1;
        live_blocks_ = 0;
        bytes_allocated_ = 0;
    }

    // Exchanges contents; the allocators are swapped only when Propagate (POCS) is true.
    template <bool Propagate>
    void swap(node_pool& other) noexcept {
        using std::swap;
        if constexpr (Propagate) swap(alloc_.get(), other.alloc_.get());
        swap(free_, other.free_);
        swap(chunks_, other.chunks_);
        swap(bump_, other.bump_);
        swap(bump_end_, other.bump_end_);
        swap(next_chunk_blocks_, other.next_chunk_blocks_);
        swap(live_blocks_, other.live_blocks_);
        swap(bytes_allocated_, other.bytes_allocated_);
        swap(chunk_allocations_, other.chunk_allocations_);
    }

    // Replaces the allocator; requires: the pool holds no chunk.
    void set_allocator(const Allocator& a) {
        BPTREE_ASSERT(chunks_ == nullptr);
        alloc_.get() = unit_allocator(a);
    }

    std::size_t live_blocks() const noexcept { return live_blocks_; }
    std::size_t bytes_allocated() const noexcept { return bytes_allocated_; }
    // Calls to the allocator since construction (for the benchmarks' allocator-call figures).
    std::size_t chunk_allocations() const noexcept { return chunk_allocations_; }

private:
    BPTREE_NOINLINE void grow() {
        const std::size_t blocks = next_chunk_blocks_;
        const std::size_t units = header_units + blocks * units_per_block;
        unit* memory = unit_traits::allocate(alloc_.get(), units);
        auto* header = ::new (static_cast<void*>(memory)) chunk_header{chunks_, units};
        chunks_ = header;
        bump_ = memory + header_units;
        bump_end_ = bump_ + blocks * units_per_block;
        next_chunk_blocks_ = blocks * 2 < max_chunk_blocks ? blocks * 2 : max_chunk_blocks;
        bytes_allocated_ += units * sizeof(unit);
        ++chunk_allocations_;
    }

    ebo_holder<unit_allocator> alloc_;
    free_block* free_ = nullptr;
    chunk_header* chunks_ = nullptr;
    unit* bump_ = nullptr;
    unit* bump_end_ = nullptr;
    std::size_t next_chunk_blocks_ = 1;
    std::size_t live_blocks_ = 0;
    std::size_t bytes_allocated_ = 0;
    std::size_t chunk_allocations_ = 0;
};

}  // namespace detail
}  // namespace BPTREE_ABI_NAMESPACE
}  // namespace bptree

#endif  // BPTREE_DETAIL_NODE_POOL_HPP
