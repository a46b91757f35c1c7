// The program every consumer project builds (README.md beside it): it uses bptree the
// way a user would and prints one line the lane checks, including whether SIMD search is on.
#include <bptree/bptree.hpp>

#include <cstdio>
#include <string>

int main() {
    bptree::map<std::string, int> scores{{"ada", 90}, {"bob", 72}, {"cy", 85}};
    scores["dee"] = 60;
    bptree::set<long> s;
    for (long i = 0; i < 10000; ++i) s.insert(i * 3);
    s.verify();
    const bool ok = scores.size() == 4 && scores.rank("cy") == 2 && s.rank(300) == 100 && *s.nth(5000) == 15000 &&
                    s.index_of(s.find(9)) == 3;
    std::printf("bptree consumer: %s, bptree %d.%d.%d, simd=%d\n", ok ? "ok" : "FAILED", BPTREE_VERSION_MAJOR,
                BPTREE_VERSION_MINOR, BPTREE_VERSION_PATCH, BPTREE_HAS_XSIMD());
    return ok ? 0 : 1;
}
