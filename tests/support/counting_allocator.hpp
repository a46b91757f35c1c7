// Test support: an allocator that counts allocations, deallocations, live bytes, constructions and
// destructions in a shared ledger, and can be told to fail the k-th allocation (as
// unordered_dense's bombing allocator) so exception-safety tests can sweep k.
#ifndef BPTREE_TESTS_SUPPORT_COUNTING_ALLOCATOR_HPP
#define BPTREE_TESTS_SUPPORT_COUNTING_ALLOCATOR_HPP

#include <cstddef>
#include <memory>
#include <new>
#include <utility>

namespace bptree_test {

struct allocation_ledger {
    std::size_t allocations = 0;
    std::size_t deallocations = 0;
    std::size_t live_bytes = 0;
    std::size_t constructions = 0;
    std::size_t destructions = 0;
    std::size_t fail_at = 0;  // 0: never; k: the k-th allocation from now throws std::bad_alloc

    bool balanced() const { return allocations == deallocations && live_bytes == 0 && constructions == destructions; }
};

inline allocation_ledger& default_ledger() {
    static allocation_ledger ledger;
    return ledger;
}

template <class T>
class counting_allocator {
public:
    using value_type = T;
    using propagate_on_container_copy_assignment = std::true_type;
    using propagate_on_container_move_assignment = std::true_type;
    using propagate_on_container_swap = std::true_type;

    // The default-constructed allocator records into one process-wide ledger.
    counting_allocator() noexcept : ledger_(&default_ledger()) {}
    explicit counting_allocator(allocation_ledger* ledger) noexcept : ledger_(ledger) {}
    template <class U>
    counting_allocator(const counting_allocator<U>& other) noexcept : ledger_(other.ledger()) {}

    T* allocate(std::size_t n) {
        if (ledger_->fail_at != 0 && --ledger_->fail_at == 0) throw std::bad_alloc();
        ++ledger_->allocations;
        ledger_->live_bytes += n * sizeof(T);
        return std::allocator<T>().allocate(n);
    }
    void deallocate(T* p, std::size_t n) noexcept {
        ++ledger_->deallocations;
        ledger_->live_bytes -= n * sizeof(T);
        std::allocator<T>().deallocate(p, n);
    }
    template <class U, class... Args>
    void construct(U* p, Args&&... args) {
        ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
        ++ledger_->constructions;
    }
    template <class U>
    void destroy(U* p) noexcept {
        p->~U();
        ++ledger_->destructions;
    }

    allocation_ledger* ledger() const noexcept { return ledger_; }
    friend bool operator==(const counting_allocator& a, const counting_allocator& b) noexcept {
        return a.ledger_ == b.ledger_;
    }
    friend bool operator!=(const counting_allocator& a, const counting_allocator& b) noexcept {
        return !(a == b);
    }

private:
    allocation_ledger* ledger_;
};

}  // namespace bptree_test

#endif  // BPTREE_TESTS_SUPPORT_COUNTING_ALLOCATOR_HPP
