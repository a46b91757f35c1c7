// File: bptree/detail/adaptors/stream_entry.hpp
// Layer: adaptor internals (stream). How one stream entry (an ordered list of field/value pairs)
// is stored, and the views through which entries are added and read.
// Includes: standard headers only.
//
// Storage of one entry (the mapped value of the stream's ordered map, 16 bytes):
//
//   stream_record { field_names_ref names_;              // 8 bytes: shared names, or null
//                   std::unique_ptr<unsigned char[]> block_; }   // 8 bytes: one heap block
//   block_: varint(pairs), then for each pair: [varint(len) name bytes] varint(len) value bytes
//
// Redis's master-entry idea: every logical node of the stream (see stream_nodes.hpp) keeps the
// field names of its first entry; an entry of that node with exactly those names points at them
// (names_ != null) and its block holds the values only. Any other entry stores its names inline
// (names_ == null). Lengths are LEB128 varints, so short strings cost one length byte.
//
// Invariant E1: a block holds at least one pair; when names_ is set, names_->size() equals the
// block's pair count.
#ifndef BPTREE_DETAIL_ADAPTORS_STREAM_ENTRY_HPP
#define BPTREE_DETAIL_ADAPTORS_STREAM_ENTRY_HPP

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bptree/detail/config.hpp"

namespace bptree {
inline namespace BPTREE_ABI_NAMESPACE {
namespace detail {

// ------------------------------------------------------------------------ field sources
// A field source is what an add reads: size() pairs, name(i) and value(i) as string_views.

// Pairs from a random-access range of pair-like elements (std::pair<std::string, std::string>,
// std::pair<std::string_view, std::string_view>, ...).
template <class It>
class pair_fields {
public:
    pair_fields(It first, std::size_t pairs) : first_(first), pairs_(pairs) {}
    std::size_t size() const noexcept { return pairs_; }
    std::string_view name(std::size_t i) const { return std::string_view(first_[static_cast<diff>(i)].first); }
    std::string_view value(std::size_t i) const { return std::string_view(first_[static_cast<diff>(i)].second); }

private:
    using diff = typename std::iterator_traits<It>::difference_type;
    It first_;
    std::size_t pairs_;
};

// Pairs from a random-access range of strings alternating field, value (a command's argv tail).
template <class It>
class flat_fields {
public:
    flat_fields(It first, std::size_t pairs) : first_(first), pairs_(pairs) {}
    std::size_t size() const noexcept { return pairs_; }
    std::string_view name(std::size_t i) const { return std::string_view(first_[static_cast<diff>(2 * i)]); }
    std::string_view value(std::size_t i) const {
        return std::string_view(first_[static_cast<diff>(2 * i + 1)]);
    }

private:
    using diff = typename std::iterator_traits<It>::difference_type;
    It first_;
    std::size_t pairs_;
};

// ------------------------------------------------------------------------ varints
inline std::size_t varint_size(std::size_t v) noexcept {
    std::size_t n = 1;
    while (v >= 0x80) {
        v >>= 7;
        ++n;
    }
    return n;
}

inline unsigned char* write_varint(unsigned char* out, std::size_t v) noexcept {
    while (v >= 0x80) {
        *out++ = static_cast<unsigned char>(v | 0x80);
        v >>= 7;
    }
    *out++ = static_cast<unsigned char>(v);
    return out;
}

inline const unsigned char* read_varint(const unsigned char* in, std::size_t& v) noexcept {
    v = 0;
    for (unsigned shift = 0;; shift += 7) {
        const unsigned char byte = *in++;
        v |= static_cast<std::size_t>(byte & 0x7f) << shift;
        if ((byte & 0x80) == 0) return in;
    }
}

// Reads one length-prefixed string and advances the cursor past it.
inline std::string_view read_block_string(const unsigned char*& cursor) noexcept {
    std::size_t len = 0;
    cursor = read_varint(cursor, len);
    const std::string_view s(reinterpret_cast<const char*>(cursor), len);
    cursor += len;
    return s;
}

// ------------------------------------------------------------------------ shared field names

// The field names of a node's master entry, shared by reference count between the node and the
// entries that repeat them. Immutable once built. The count is atomic because copies of a stream
// share these objects and may be used from different threads.
class stream_field_names {
public:
    template <class Fields>
    explicit stream_field_names(const Fields& fields) {
        names_.reserve(fields.size());
        for (std::size_t i = 0; i < fields.size(); ++i) names_.emplace_back(fields.name(i));
    }

    std::size_t size() const noexcept { return names_.size(); }
    std::string_view operator[](std::size_t i) const noexcept { return names_[i]; }

    // Redis's SAMEFIELDS test: the same number of fields, with equal bytes, in the same order.
    template <class Fields>
    bool same_as(const Fields& fields) const {
        if (fields.size() != names_.size()) return false;
        for (std::size_t i = 0; i < names_.size(); ++i) {
            if (fields.name(i) != std::string_view(names_[i])) return false;
        }
        return true;
    }

    void retain() noexcept { refs_.fetch_add(1, std::memory_order_relaxed); }
    // Returns true when this was the last reference (the caller deletes the object).
    bool release() noexcept { return refs_.fetch_sub(1, std::memory_order_acq_rel) == 1; }

private:
    std::atomic<std::uint32_t> refs_{1};
    std::vector<std::string> names_;
};

// An owning, reference-counted pointer to stream_field_names (8 bytes; null allowed).
class field_names_ref {
public:
    field_names_ref() noexcept = default;
    template <class Fields>
    static field_names_ref make(const Fields& fields) {
        field_names_ref r;
        r.p_ = new stream_field_names(fields);
        return r;
    }
    field_names_ref(const field_names_ref& o) noexcept : p_(o.p_) {
        if (p_) p_->retain();
    }
    field_names_ref(field_names_ref&& o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
    field_names_ref& operator=(field_names_ref o) noexcept {
        std::swap(p_, o.p_);
        return *this;
    }
    ~field_names_ref() {
        if (p_ && p_->release()) delete p_;
    }

    explicit operator bool() const noexcept { return p_ != nullptr; }
    const stream_field_names& operator*() const noexcept { return *p_; }
    const stream_field_names* operator->() const noexcept { return p_; }
    const stream_field_names* get() const noexcept { return p_; }

private:
    stream_field_names* p_ = nullptr;
};

// ------------------------------------------------------------------------ the stored entry

// One entry's field/value pairs in one heap block (layout in the file banner). Copying copies the
// block and shares the names; moving steals both.
class stream_record {
public:
    // A forward iterator over the pairs, yielding {name, value} string_views into the record.
    class const_iterator {
    public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = std::pair<std::string_view, std::string_view>;
        using difference_type = std::ptrdiff_t;
        using pointer = void;
        using reference = value_type;

        const_iterator() = default;
        value_type operator*() const noexcept {
            const unsigned char* cursor = cursor_;
            const std::string_view name = names_ ? (*names_)[index_] : read_block_string(cursor);
            return {name, read_block_string(cursor)};
        }
        const_iterator& operator++() noexcept {
            if (!names_) read_block_string(cursor_);
            read_block_string(cursor_);
            ++index_;
            return *this;
        }
        const_iterator operator++(int) noexcept {
            const_iterator old = *this;
            ++*this;
            return old;
        }
        friend bool operator==(const const_iterator& a, const const_iterator& b) noexcept {
            return a.index_ == b.index_;
        }
        friend bool operator!=(const const_iterator& a, const const_iterator& b) noexcept { return !(a == b); }

    private:
        friend class stream_record;
        const_iterator(const stream_field_names* names, const unsigned char* cursor, std::size_t index) noexcept
            : names_(names), cursor_(cursor), index_(index) {}
        const stream_field_names* names_ = nullptr;
        const unsigned char* cursor_ = nullptr;
        std::size_t index_ = 0;
    };

    // Stores fields; with shared set (Requires: shared->same_as(fields)) only the values are
    // written to the block and the names are shared.
    template <class Fields>
    stream_record(const Fields& fields, field_names_ref shared) : names_(std::move(shared)) {
        const bool inline_names = !names_;
        std::size_t bytes = varint_size(fields.size());
        for (std::size_t i = 0; i < fields.size(); ++i) {
            if (inline_names) bytes += varint_size(fields.name(i).size()) + fields.name(i).size();
            bytes += varint_size(fields.value(i).size()) + fields.value(i).size();
        }
        block_.reset(new unsigned char[bytes]);
        unsigned char* out = write_varint(block_.get(), fields.size());
        for (std::size_t i = 0; i < fields.size(); ++i) {
            if (inline_names) out = write_string(out, fields.name(i));
            out = write_string(out, fields.value(i));
        }
    }

    stream_record(const stream_record& o) : names_(o.names_), block_(new unsigned char[o.block_bytes()]) {
        std::memcpy(block_.get(), o.block_.get(), o.block_bytes());
    }
    stream_record(stream_record&&) noexcept = default;
    stream_record& operator=(const stream_record& o) {
        if (this != &o) *this = stream_record(o);
        return *this;
    }
    stream_record& operator=(stream_record&&) noexcept = default;
    ~stream_record() = default;

    // Number of field/value pairs (at least 1).
    std::size_t size() const noexcept {
        std::size_t pairs = 0;
        read_varint(block_.get(), pairs);
        return pairs;
    }
    const_iterator begin() const noexcept {
        std::size_t pairs = 0;
        return const_iterator(names_.get(), read_varint(block_.get(), pairs), 0);
    }
    const_iterator end() const noexcept { return const_iterator(nullptr, nullptr, size()); }

    // True when the names are shared with the node's master entry (not stored in this record).
    bool shares_names() const noexcept { return static_cast<bool>(names_); }

    // Heap bytes of the block (the names are counted with their node).
    std::size_t block_bytes() const noexcept {
        std::size_t pairs = 0;
        const unsigned char* cursor = read_varint(block_.get(), pairs);
        for (std::size_t i = 0; i < pairs; ++i) {
            if (!names_) read_block_string(cursor);
            read_block_string(cursor);
        }
        return static_cast<std::size_t>(cursor - block_.get());
    }

    // Equal pairs (how they are stored does not matter).
    friend bool operator==(const stream_record& a, const stream_record& b) {
        if (a.size() != b.size()) return false;
        auto ib = b.begin();
        for (auto pair : a) {
            if (pair != *ib) return false;
            ++ib;
        }
        return true;
    }
    friend bool operator!=(const stream_record& a, const stream_record& b) { return !(a == b); }

private:
    static unsigned char* write_string(unsigned char* out, std::string_view s) noexcept {
        out = write_varint(out, s.size());
        if (!s.empty()) std::memcpy(out, s.data(), s.size());
        return out + s.size();
    }

    field_names_ref names_;
    std::unique_ptr<unsigned char[]> block_;
};

}  // namespace detail
}  // namespace BPTREE_ABI_NAMESPACE
}  // namespace bptree

#endif  // BPTREE_DETAIL_ADAPTORS_STREAM_ENTRY_HPP
