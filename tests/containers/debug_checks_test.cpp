// Debug checks (on in builds with assertions): an iterator used after its container changed, and
// a comparator that is not a strict weak ordering, stop the program with an assertion. Each case
// runs in a forked child, which must die by SIGABRT (or, for the valid uses, exit normally).
#include <catch2/catch.hpp>

#include <csignal>
#include <cstdio>
#include <functional>
#include <sys/wait.h>
#include <unistd.h>
#include <utility>

#include "bptree/map.hpp"
#include "bptree/set.hpp"

namespace {

enum class outcome { exited, aborted, other };

template <class F>
outcome run_in_child(F f) {
    std::fflush(nullptr);
    const pid_t pid = fork();
    if (pid == 0) {
        // Quiet, and without Catch's fatal-signal handler: the abort must end the child as is.
        std::signal(SIGABRT, SIG_DFL);
        if (std::freopen("/dev/null", "w", stderr) == nullptr) _exit(3);
        if (std::freopen("/dev/null", "w", stdout) == nullptr) _exit(3);
        f();
        _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return outcome::exited;
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT) return outcome::aborted;
    return outcome::other;
}

using tiny_set = bptree::set<int, std::less<int>, std::allocator<int>, bptree::slot_traits<3, 4>>;

}  // namespace

#if BPTREE_HAS_DEBUG_CHECKS()
TEST_CASE("an iterator used after an insert or erase stops the program", "[debug_checks]") {
    CHECK(run_in_child([] {
              tiny_set s{1, 2, 3};
              auto it = s.begin();
              s.insert(4);
              (void)*it;
          }) == outcome::aborted);
    CHECK(run_in_child([] {
              tiny_set s{1, 2, 3, 4, 5};
              auto it = s.find(2);
              s.erase(5);
              ++it;
          }) == outcome::aborted);
    CHECK(run_in_child([] {
              bptree::map<int, int> m{{1, 1}};
              auto end = m.end();
              m[2] = 2;
              (void)(m.begin() == end);
          }) == outcome::aborted);
    // swap and move assignment invalidate every iterator of both containers (README's rules).
    CHECK(run_in_child([] {
              tiny_set a{1, 2, 3};
              tiny_set b{4};
              auto it = a.begin();
              a.swap(b);
              (void)*it;
          }) == outcome::aborted);
    CHECK(run_in_child([] {
              tiny_set a{1, 2, 3};
              tiny_set b;
              auto it = a.begin();
              b = std::move(a);
              (void)*it;
          }) == outcome::aborted);
    // The iterators a mutation returns, and those made afterwards, are valid.
    CHECK(run_in_child([] {
              tiny_set s{1, 2, 3};
              auto it = s.insert(4).first;
              (void)*it;
              it = s.erase(s.find(2));
              (void)*it;
              for (auto v : s) (void)v;
          }) == outcome::exited);
}

TEST_CASE("a comparator that is not a strict weak ordering stops the program", "[debug_checks]") {
    CHECK(run_in_child([] {
              bptree::set<int, std::less_equal<int>> s;
              for (int i = 0; i < 100; ++i) s.insert(i % 10);
          }) == outcome::aborted);
    CHECK(run_in_child([] {
              bptree::set<int, std::greater<int>> s;
              for (int i = 0; i < 100; ++i) s.insert(i % 10);
          }) == outcome::exited);
}
#else
TEST_CASE("debug checks are compiled out", "[debug_checks]") {
    SUCCEED("BPTREE_HAS_DEBUG_CHECKS() is 0 in this build");
}
#endif
