// Adaptor benchmarks: the family mechanism. Each adaptor (sorted_set, stream, time_series) runs
// on its bptree backend and on its std backend, measured in the same run with the same harness as
// the containers (support/harness.hpp): check pass against the std backend, latency pass, timed
// batches, counters. Benchmarks are named  COMMAND/family/backend/n, e.g. ZADD/sorted_set/bptree/1000000.
//
// Adding an adaptor takes one file in bench/adaptors/ with:
//   1. a backend tag per backend:   struct my_bptree { static constexpr const char* name = "bptree"; ... };
//   2. a family:                    struct my_family {
//                                       static constexpr const char* name = "my_adaptor";
//                                       template <class Backend> using adaptor = ...;   // the adaptor type
//                                       using std_backend = my_std;                     // the reference
//                                       using data = ...;                               // inputs, built once per n
//                                       static std::shared_ptr<const data> load(std::size_t n);
//                                       template <class A> static void build(A&, const data&);  // n entries
//                                   };
//   3. one class template per command, deriving from adaptor_op (see the existing files), and
//   4. the registration:            BPTREE_BENCH_ADAPTOR(order, my_family, register_my_ops, my_std, my_bptree)
// guarded by __has_include of the adaptor's header, so the suite builds before the adaptor exists.
// Adding a backend to an existing adaptor is one more tag in its BPTREE_BENCH_ADAPTOR line.
#ifndef BPTREE_BENCH_ADAPTORS_ADAPTOR_FAMILY_HPP
#define BPTREE_BENCH_ADAPTORS_ADAPTOR_FAMILY_HPP

#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>

#include "support/harness.hpp"
#include "support/heap.hpp"

namespace bptree_bench {

template <class Family, class Backend>
struct adaptor_spec;

template <class T, class = void>
struct adaptor_has_verify : std::false_type {};
template <class T>
struct adaptor_has_verify<T, std::void_t<decltype(std::declval<const T&>().verify())>> : std::true_type {};

// The shared state of one adaptor type at size n: the adaptor holding n entries.
template <class Spec>
struct adaptor_fixture {
    using family = typename Spec::family_type;
    using adaptor = typename Spec::adaptor;
    using data_type = typename family::data;

    std::shared_ptr<const data_type> data;
    std::unique_ptr<adaptor> a;
    std::size_t n;
    double bytes_per_entry = -1;   // adaptors take no allocator: see heap_bytes_per_entry
    double allocs_per_entry = -1;
    double heap_bytes_per_entry = -1;
    bool dirty = false;

    explicit adaptor_fixture(std::size_t size) : data(family::load(size)), n(size) { reset(); }

    void reset() {
        a.reset();
        const heap_probe heap;
        a = std::make_unique<adaptor>();
        family::build(*a, *data);
        heap_bytes_per_entry = heap.bytes() < 0 ? -1 : heap.bytes() / static_cast<double>(n);
    }
    bool intact(std::size_t size) const { return a->size() == size; }
    bool verify(std::string& error) const {
        if constexpr (adaptor_has_verify<adaptor>::value) {
            try {
                a->verify();
            } catch (const std::exception& e) {
                error = e.what();
                return false;
            }
        }
        return true;
    }
};

template <class Family, class Backend>
struct adaptor_spec {
    using family_type = Family;
    using backend = Backend;
    using adaptor = typename Family::template adaptor<Backend>;
    using reference = adaptor_spec<Family, typename Family::std_backend>;
    using fixture = adaptor_fixture<adaptor_spec>;
    static constexpr bool is_reference = std::is_same_v<Backend, typename Family::std_backend>;
    static std::string family() { return Family::name; }
    static const char* impl_name() { return Backend::name; }
};

// Members every adaptor operation uses.
template <class Spec, class Derived>
class adaptor_op : public op_base {
public:
    using fixture = adaptor_fixture<Spec>;
    using adaptor = typename Spec::adaptor;

    std::size_t check_count() const { return static_cast<const Derived*>(this)->batch(); }
    std::size_t check_rounds() const { return options().check_batches; }
    static constexpr bool restores = true;

protected:
    explicit adaptor_op(fixture& f) : f_(f), a_(*f.a), d_(*f.data), n_(f.n) {}

    fixture& f_;
    adaptor& a_;
    const typename fixture::data_type& d_;
    std::size_t n_;
};

// The data of a family, built once per size and shared by its backends (the last size is kept).
template <class Data>
std::shared_ptr<const Data> cached_data(std::size_t n) {
    static std::shared_ptr<const Data> cached;
    if (!cached || cached->n != n) {
        cached.reset();
        cached = std::make_shared<const Data>(n);
    }
    return cached;
}

// Registers a family's operations for each backend (the std backend first: it is the reference).
template <class Family, template <class> class RegisterOps, class... Backends>
void register_adaptor_family(std::size_t n) {
    (RegisterOps<adaptor_spec<Family, Backends>>::apply(n), ...);
}

}  // namespace bptree_bench

// One line per adaptor: order in the run, family, the ops registration template, backends (the
// std backend first).
#define BPTREE_BENCH_CONCAT_IMPL(a, b) a##b
#define BPTREE_BENCH_CONCAT(a, b) BPTREE_BENCH_CONCAT_IMPL(a, b)
#define BPTREE_BENCH_ADAPTOR(order, family, register_ops, ...)                                           \
    namespace {                                                                                          \
    [[maybe_unused]] const bool BPTREE_BENCH_CONCAT(adaptor_registered_, __LINE__) =                     \
        ::bptree_bench::add_suite(order, family::name, [](std::size_t n) {                               \
            ::bptree_bench::register_adaptor_family<family, register_ops, __VA_ARGS__>(n);               \
        });                                                                                              \
    }

#endif  // BPTREE_BENCH_ADAPTORS_ADAPTOR_FAMILY_HPP
