// File: tools/redis_conformance/registry.cpp
// The command families the conformance tool knows. To add one: write families/<name>.cpp with a
// `std::unique_ptr<family> make_<name>_family()`, declare it below and add its line to the table.
#include "family.hpp"

namespace bptree_conformance {

std::unique_ptr<family> make_zset_family();
std::unique_ptr<family> make_stream_family();

const std::vector<family_entry>& registered_families() {
    static const std::vector<family_entry> families = {
        {"zset", &make_zset_family},
        {"stream", &make_stream_family},
    };
    return families;
}

std::unique_ptr<family> make_family(std::string_view name) {
    for (const family_entry& f : registered_families()) {
        if (name == f.name) return f.make();
    }
    return nullptr;
}

}  // namespace bptree_conformance
