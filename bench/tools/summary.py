#!/usr/bin/env python3
"""Markdown summary of a bptree_bench results file: one table per family (container kind and key
type, or adaptor) and size, in the shape of the seed table
    operation | bptree | std | absl | pbds | vs std | vs absl | verdict
plus bytes per entry, latency percentiles when measured, and any failures.

Usage: summary.py RESULTS.json [-o SUMMARY.md] [--title TEXT] [--console]
Standard library only; run with /usr/bin/python3.
"""

import argparse
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchjson as bj  # noqa: E402

ON_PAR = 1.10  # within 10% counts as on par: this VM's run-to-run noise is 10-30%


def ratio_text(peer, mine):
    """peer time / our time, as 'N× faster' or 'N× slower'."""
    if not peer or not mine:
        return "-"
    r = peer / mine
    if r >= 100:
        return f"{r:,.0f}× faster"
    if r >= 1:
        return f"{r:.2f}× faster"
    return f"{1 / r:.2f}× slower"


def verdict(mine, peers, op=""):
    measured = {k: v for k, v in peers.items() if v}
    if mine is None:
        return ""
    if not measured:
        return "no peer measured (std: O(n))" if op in POSITIONAL else "no peer measured"
    best_impl = min(measured, key=measured.get)
    best = measured[best_impl]
    if mine * ON_PAR <= best:
        return "✅ fastest"
    if mine <= best * ON_PAR:
        return f"≈ on par with {best_impl}" if mine > best else "✅ fastest (within noise)"
    behind = f"{mine / best:.1f}× slower than {best_impl}"
    if "std" in measured and mine * ON_PAR <= measured["std"]:
        return f"⚠️ {behind}, beats std"
    return f"❌ {behind}"


def context_lines(ctx):
    get = ctx.get
    lines = []
    when = get("date", "?")
    host = get("host_name", "?")
    cpus = get("num_cpus", "?")
    mhz = get("mhz_per_cpu", "?")
    lines.append(f"- Run: {when} on `{host}`, {cpus} CPUs at {mhz} MHz"
                 + (f", load average {', '.join(f'{x:.1f}' for x in get('load_avg', []))}" if get("load_avg") else ""))
    lines.append(f"- Compiler: {get('bptree.compiler', '?')}; flags `{get('bptree.flags', '?')}` "
                 f"({get('bptree.build_type', '?')}; assertions {get('bptree.assertions', '?')})")
    lines.append(f"- ISA: {get('bptree.isa', '?')}; xsimd arch {get('bptree.xsimd_arch', '?')}")
    lines.append(f"- bptree nodes: leaf {get('bptree.leaf_node_bytes', '?')}, inner {get('bptree.inner_node_bytes', '?')} B; "
                 f"int64: {get('bptree.slots.int64', '?')}; score_member: {get('bptree.slots.score_member', '?')}")
    lines.append(f"- Peers: {get('bptree.peers', '?')}; mode {get('bptree.mode', '?')}; sizes {get('bptree.sizes', '?')}; "
                 f"latency for {get('bptree.latency', '?')}")
    if get("bptree.git"):
        lines.append(f"- Source: {get('bptree.git')}")
    if get("library_build_type") == "debug":
        lines.append("- Google Benchmark reports its own library as a debug build (Debian's package); "
                     "this does not affect the code measured.")
    return lines


def family_order(fam):
    containers = ["set.int64", "set.score_member", "map.int64", "map.score_member"]
    return (containers.index(fam), fam) if fam in containers else (len(containers), fam)


def geomean(xs):
    xs = [x for x in xs if x and x > 0]
    if not xs:
        return None
    return math.exp(sum(math.log(x) for x in xs) / len(xs))


def build(ctx, results, title, console=False):
    """console: only the at-a-glance table and the largest size of each family, no latency."""
    out = [f"# {title}", ""]
    out += context_lines(ctx)
    out += ["",
            "Each cell is the time per operation (each repetition's median batch, then the median of the repetitions), measured in the steady state at "
            "the given number of entries. *vs std* and *vs absl* compare bptree with that peer in the same run. "
            "Verdicts treat differences under 10% as noise (this VM varies 10-30% run to run). "
            "See docs/benchmarks/README.md for what each operation does.", ""]

    failed = [r for r in results if r.error]
    if failed:
        out += ["## FAILED benchmarks", ""]
        out += [f"- `{r.name}`: {r.error}" for r in failed]
        out += [""]

    by_family = {}
    for r in results:
        by_family.setdefault(r.family, {}).setdefault(r.n, []).append(r)

    # At a glance: geometric means of the speedups at the largest size of each family.
    glance = []
    for fam in sorted(by_family, key=family_order):
        n = max(by_family[fam])
        rows = {(r.op, r.impl): r for r in by_family[fam][n] if not r.error and r.ns}
        ops = sorted({op for op, _ in rows}, key=bj.op_key)
        cells = []
        for peer in ("std", "absl", "pbds"):
            ratios = [rows[(op, peer)].ns / rows[(op, "bptree")].ns
                      for op in ops if (op, peer) in rows and (op, "bptree") in rows
                      and "O(n)" not in rows[(op, peer)].label]
            g = geomean(ratios)
            if g:
                cells.append(f"{g:.2f}× vs {peer} ({len(ratios)} op{'' if len(ratios) == 1 else 's'})")
        if cells:
            glance.append(f"| {fam} | {bj.format_size(n)} | " + "; ".join(cells) + " |")
    if glance:
        out += ["## At a glance", "",
                "Geometric mean over operations of peer time / bptree time at the largest size "
                "(> 1: bptree faster); std's O(n) rank/nth are left out.", "",
                "| family | entries | speedup |", "|---|---|---|"]
        out += glance + [""]

    for fam in sorted(by_family, key=family_order):
        for n in sorted(by_family[fam])[-1:] if console else sorted(by_family[fam]):
            rows = by_family[fam][n]
            impls = sorted({r.impl for r in rows}, key=bj.impl_key)
            table = {(r.op, r.impl): r for r in rows}
            ops = sorted({r.op for r in rows}, key=bj.op_key)
            peers = [i for i in impls if i != "bptree"]
            out += [f"## {fam}, {bj.format_size(n)} entries", ""]
            header = ["operation"] + impls + [f"vs {p}" for p in peers if p in ("std", "absl")] + ["verdict"]
            out += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
            notes = {}  # footnote text -> implementations it applies to
            for op in ops:
                cells = [op]
                for impl in impls:
                    r = table.get((op, impl))
                    if r is None:
                        cells.append(_missing(op, impl, fam))
                    elif r.error:
                        cells.append("**FAILED**")
                    else:
                        text = bj.format_ns(r.ns)
                        if "O(n)" in r.label:
                            text += " ¹"
                            notes.setdefault("¹ O(n) per call: std has no order statistics (std::distance / "
                                             "std::next or a walk); run only up to the linear cap, so larger "
                                             "sizes show n/a.", [])
                        elif r.label:
                            # one mark per distinct label: ², ³, ⁴, ...
                            marks = [t for t in notes if not t.startswith("¹")]
                            mark = next((t[0] for t in marks if t[2:] == r.label), "²³⁴⁵⁶⁷⁸⁹"[len(marks)])
                            text += " " + mark
                            notes.setdefault(f"{mark} {r.label}", []).append(impl)
                        cells.append(text)
                mine = table.get((op, "bptree"))
                mine_ns = mine.ns if mine and not mine.error else None
                for p in peers:
                    if p in ("std", "absl"):
                        pr = table.get((op, p))
                        cells.append(ratio_text(pr.ns if pr and not pr.error else None, mine_ns))
                cells.append(verdict(mine_ns, {p: (table[(op, p)].ns if (op, p) in table and not table[(op, p)].error else None)
                                               for p in peers}, op))
                out.append("| " + " | ".join(cells) + " |")
            # memory: allocator bytes of the shared fixture (random inserts) and of a bulk load, and
            # malloc's own figure for the fixture (overhead included; the only one for adaptors), and the
            # allocator calls of the fixture's build
            for label, op, counter, scale in (
                    ("bytes/entry (random inserts)", None, "bytes_per_entry", 1),
                    ("bytes/entry (bulk load)", "bulk_load", "bytes_per_entry", 1),
                    ("heap bytes/entry (malloc, random inserts)", None, "heap_bytes_per_entry", 1),
                    ("allocator calls per million random inserts", None, "allocs_per_entry", 1e6)):
                digits = 0 if scale > 1 else 1
                cells = [label]
                any_value = False
                for impl in impls:
                    r = table.get((op, impl)) if op else next((x for x in rows if x.impl == impl and x.op != "bulk_load"
                                                               and x.get(counter) is not None), None)
                    v = r.get(counter) if r else None
                    any_value |= v is not None
                    cells.append(f"{v * scale:,.{digits}f}" if v is not None else "-")
                cells += [""] * (len(header) - len(cells))
                if any_value:
                    out.append("| " + " | ".join(cells) + " |")
            out += [""]
            lat_ops = [] if console else [op for op in ops if any(table.get((op, i)) and table[(op, i)].get("p50_ns") is not None for i in impls)]
            if lat_ops:
                out += [f"Latency, ns per operation, p50 / p99 / p999 (batches of L operations, L in brackets):", "",
                        "| operation | " + " | ".join(impls) + " |", "|" + "---|" * (len(impls) + 1)]
                for op in lat_ops:
                    cells = [op]
                    for impl in impls:
                        r = table.get((op, impl))
                        if r and r.get("p50_ns") is not None:
                            cells.append(f"{r.get('p50_ns'):.0f} / {r.get('p99_ns'):.0f} / {r.get('p999_ns'):.0f} "
                                         f"[{r.get('lat_batch'):.0f}]")
                        else:
                            cells.append("-")
                    out.append("| " + " | ".join(cells) + " |")
                out += [""]
            if notes:
                for text in sorted(notes, key=lambda t: "¹²³⁴⁵⁶⁷⁸⁹".find(t[0])):
                    who = notes[text]
                    out.append(f"{text[:2]}{', '.join(who)}: {text[2:]}." if who else text)
                out += [""]
    return "\n".join(out) + "\n"


POSITIONAL = ("rank", "nth", "ZRANK", "ZRANGE")


def _missing(op, impl, fam):
    if op in POSITIONAL and impl == "absl":
        return "n/a"
    if op in POSITIONAL and impl == "std":
        return "n/a (O(n))"
    return "-"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("results")
    ap.add_argument("-o", "--output")
    ap.add_argument("--title", default="bptree benchmark summary")
    ap.add_argument("--console", action="store_true",
                    help="short form for a terminal: the largest size of each family, no latency tables")
    args = ap.parse_args()
    ctx, results = bj.load(args.results)
    if not results:
        print(f"summary: no bptree_bench results in {args.results}", file=sys.stderr)
        return 1
    text = build(ctx, results, args.title, console=args.console)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
