// Conan's test_package program: one container and one adaptor from the package.
#include <bptree/map.hpp>
#include <bptree/sorted_set.hpp>

#include <cstdio>
#include <string>

int main() {
    bptree::map<std::string, int> m{{"b", 2}, {"a", 1}};
    bptree::sorted_set<> z;
    z.add("x", 1.5);
    const bool ok = m.rank("b") == 1 && m.nth(0)->first == "a" && z.score("x") == 1.5;
    std::printf("bptree test_package: %s\n", ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}
