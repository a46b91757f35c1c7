#!/usr/bin/env python3
"""Compares two bptree_bench results files benchmark by benchmark, to judge an engine change
before/after: for every benchmark present in both, the median ns/op of each and the ratio
new/old (< 1: the new run is faster), then the geometric mean of the ratios per implementation
and per family.

Usage: compare.py OLD.json NEW.json [--filter REGEX] [--impl NAME] [--threshold 0.10]

Changes smaller than the threshold (default 10%, about this VM's run-to-run noise) are marked
'~'. Compare runs from the same machine and build flags (the context lines say which), and
prefer runs with repetitions. Standard library only; run with /usr/bin/python3.
"""

import argparse
import math
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchjson as bj  # noqa: E402


def geomean(xs):
    xs = [x for x in xs if x > 0]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


def describe(ctx):
    return (f"{ctx.get('date', '?')}  {ctx.get('bptree.compiler', '?')}  `{ctx.get('bptree.flags', '?')}`  "
            f"isa {ctx.get('bptree.isa', '?')}  git {ctx.get('bptree.git', '?')}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--filter", help="only benchmarks whose name matches this regular expression")
    ap.add_argument("--impl", help="only this implementation (e.g. bptree)")
    ap.add_argument("--threshold", type=float, default=0.10)
    args = ap.parse_args()

    ctx_a, res_a = bj.load(args.old)
    ctx_b, res_b = bj.load(args.new)
    a = {r.name: r for r in res_a}
    b = {r.name: r for r in res_b}
    pattern = re.compile(args.filter) if args.filter else None

    names = [n for n in a if n in b]
    names.sort(key=lambda n: (a[n].family, a[n].n, bj.op_key(a[n].op), bj.impl_key(a[n].impl)))
    if pattern:
        names = [n for n in names if pattern.search(n)]
    if args.impl:
        names = [n for n in names if a[n].impl == args.impl]

    print(f"old: {args.old}\n     {describe(ctx_a)}")
    print(f"new: {args.new}\n     {describe(ctx_b)}")
    if ctx_a.get("bptree.flags") != ctx_b.get("bptree.flags") or ctx_a.get("host_name") != ctx_b.get("host_name"):
        print("note: the two runs differ in host or flags; ratios mix machine and code changes")
    print()

    width = max([len(n) for n in names] + [9])
    print(f"{'benchmark':<{width}}  {'old':>10}  {'new':>10}  {'new/old':>8}")
    print("-" * (width + 36))
    ratios_by_impl, ratios_by_family = {}, {}
    failures = 0
    for n in names:
        ra, rb = a[n], b[n]
        if ra.error or rb.error or not ra.ns or not rb.ns:
            print(f"{n:<{width}}  {'FAILED' if ra.error else bj.format_ns(ra.ns):>10}  "
                  f"{'FAILED' if rb.error else bj.format_ns(rb.ns):>10}  {'-':>8}")
            failures += bool(rb.error)
            continue
        ratio = rb.ns / ra.ns
        mark = "~" if abs(ratio - 1) < args.threshold else ("faster" if ratio < 1 else "SLOWER")
        print(f"{n:<{width}}  {bj.format_ns(ra.ns):>10}  {bj.format_ns(rb.ns):>10}  {ratio:>8.3f}  {mark}")
        ratios_by_impl.setdefault(ra.impl, []).append(ratio)
        ratios_by_family.setdefault((ra.family, ra.impl), []).append(ratio)

    only_a = sorted(set(a) - set(b))
    only_b = sorted(set(b) - set(a))
    print()
    print("geometric mean of new/old (< 1: faster):")
    for impl in sorted(ratios_by_impl, key=bj.impl_key):
        g = geomean(ratios_by_impl[impl])
        print(f"  {impl:<8} {g:.3f} over {len(ratios_by_impl[impl])} benchmarks")
        for (fam, im), rs in sorted(ratios_by_family.items()):
            if im == impl:
                print(f"    {fam:<20} {geomean(rs):.3f} ({len(rs)})")
    if only_a or only_b:
        print(f"\n{len(only_a)} benchmarks only in old, {len(only_b)} only in new")
    if failures:
        print(f"\n{failures} benchmarks FAILED in the new run")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
