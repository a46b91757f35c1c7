#!/usr/bin/env python3
"""Charts of a bptree_bench results file, drawn with gnuplot, as SVG and PNG:

  <out>/<family>.svg|png          every operation of a family: ns/op against entries, log-log,
                                  one line per container (a grid of small charts)
  <out>/<family>.bytes.svg|png    bytes per entry against entries, one line per container,
                                  solid: built by random inserts, dashed: bulk loaded
  <out>/<family>/<op>.svg|png     the same ns/op chart, one operation per file (with --each)

Usage: charts.py RESULTS.json OUTDIR [--each] [--gnuplot PATH]
Standard library only; run with /usr/bin/python3. The .dat and .gp files are kept beside the
charts, so a chart can be redrawn or restyled by hand.
"""

import argparse
import math
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchjson as bj  # noqa: E402

# One fixed colour and point type per implementation, the same in every chart.
STYLE = {
    "bptree": ("#d62728", 7),
    "std": ("#1f77b4", 5),
    "absl": ("#2ca02c", 9),
    "pbds": ("#9467bd", 11),
}
FALLBACK = [("#ff7f0e", 13), ("#8c564b", 15), ("#e377c2", 4)]


def style(impl, impls):
    if impl in STYLE:
        return STYLE[impl]
    extra = [i for i in impls if i not in STYLE]
    return FALLBACK[extra.index(impl) % len(FALLBACK)]


def quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_table(path, sizes, impls, value):
    with open(path, "w", encoding="utf-8") as f:
        f.write("# entries " + " ".join(impls) + "\n")
        for n in sizes:
            row = [str(n)]
            for impl in impls:
                v = value(n, impl)
                row.append(f"{v:.6g}" if v is not None and v > 0 else "NaN")
            f.write(" ".join(row) + "\n")


def plot_lines(dat, impls, dashed=False, first_column=2, titles=True, present=None):
    parts = []
    for k, impl in enumerate(impls):
        if present is not None and impl not in present:
            continue  # no data for this implementation (e.g. absl has no rank)
        colour, point = style(impl, impls)
        title = f"title {quote(impl + (' (bulk load)' if dashed else ''))}" if titles else "notitle"
        dash = "dt 2" if dashed else "dt 1"
        parts.append(f"{quote(dat)} using 1:{first_column + k} with linespoints lw 2 {dash} pt {point} ps 0.8 "
                     f"lc rgb {quote(colour)} {title}")
    return parts


def terminals(base, width, height):
    return [
        (f"set terminal svg size {width},{height} dynamic enhanced font 'Helvetica,12' background rgb 'white'",
         base + ".svg"),
        (f"set terminal pngcairo size {width},{height} enhanced font 'Helvetica,10' background rgb 'white'",
         base + ".png"),
    ]


COMMON = [
    'set datafile missing "NaN"',
    "set logscale x 10",
    "set grid xtics ytics lc rgb '#dddddd'", "set mxtics default", "set mytics default",
    "set format x '10^{%L}'",
    "set key top left box opaque",
    "set xlabel 'entries'",
]


def draw(script_path, lines, gnuplot):
    with open(script_path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    subprocess.run([gnuplot, script_path], check=True, cwd=os.path.dirname(script_path) or ".")


def chart_family(fam, rows, out, gnuplot, each):
    sizes = sorted({r.n for r in rows})
    impls = sorted({r.impl for r in rows}, key=bj.impl_key)
    ops = sorted({r.op for r in rows}, key=bj.op_key)
    table = {(r.op, r.impl, r.n): r for r in rows if not r.error}
    files = []
    common = COMMON + [f"set xrange [{sizes[0] / 2:g}:{sizes[-1] * 2:g}]"]

    def ns(op):
        return lambda n, impl: table[(op, impl, n)].ns if (op, impl, n) in table else None

    datdir = os.path.join(out, "data")
    os.makedirs(datdir, exist_ok=True)
    dats = {}
    present = {op: {i for i in impls if any((op, i, n) in table for n in sizes)} for op in ops}
    for op in ops:
        dat = os.path.join(datdir, f"{fam}.{op}.dat")
        write_table(dat, sizes, impls, ns(op))
        dats[op] = dat

    # The grid: every operation of the family in one picture.
    cols = 4 if len(ops) > 6 else max(1, min(3, len(ops)))
    nrows = math.ceil(len(ops) / cols)
    width, height = 360 * cols, 300 * nrows + 40
    for term, target in terminals(os.path.join(out, fam), width, height):
        lines = [term, f"set output {quote(target)}"] + common + [
            "set logscale y 10", "set format y '10^{%L}'",
            "set ylabel 'ns / op'",
            "set xlabel 'entries' offset 0,0.5",
            f"set multiplot layout {nrows},{cols} title {quote(fam + ': ns per operation (log-log; lower is better)')} noenhanced",
        ]
        for k, op in enumerate(ops):
            lines.append(f"set title {quote(op)} noenhanced")
            lines.append("set key top left box opaque font ',8'" if k == 0 else "unset key")
            lines.append("plot " + ", ".join(plot_lines(dats[op], impls, present=present[op])))
        lines.append("unset multiplot")
        draw(os.path.join(datdir, f"{fam}.{os.path.splitext(target)[1][1:]}.gp"), lines, gnuplot)
        files.append(target)

    # One chart per operation.
    if each:
        opdir = os.path.join(out, fam)
        os.makedirs(opdir, exist_ok=True)
        for op in ops:
            for term, target in terminals(os.path.join(opdir, op.replace(".", "_")), 640, 420):
                lines = [term, f"set output {quote(target)}"] + common + [
                    "set logscale y 10", "set format y '10^{%L}'", "set ylabel 'ns / op'",
                    f"set title {quote(f'{fam}: {op} (log-log; lower is better)')} noenhanced",
                    "plot " + ", ".join(plot_lines(dats[op], impls, present=present[op])),
                ]
                draw(os.path.join(datdir, f"{fam}.{op}.{os.path.splitext(target)[1][1:]}.gp"), lines, gnuplot)
                files.append(target)

    # Bytes per entry: from the shared fixture (random inserts) and from bulk load, as counted by
    # the counting allocator; adaptors take no allocator, so theirs is malloc's heap figure.
    metric = "bytes_per_entry" if any(r.get("bytes_per_entry") is not None for r in rows) else "heap_bytes_per_entry"
    what = "allocator bytes / entries" if metric == "bytes_per_entry" else "heap bytes in use / entries, malloc overhead included"

    def fixture_bytes(n, impl):
        for r in rows:
            if r.n == n and r.impl == impl and r.op != "bulk_load" and r.get(metric) is not None:
                return r.get(metric)
        return None

    def bulk_bytes(n, impl):
        r = table.get(("bulk_load", impl, n))
        return r.get(metric) if r else None

    if any(fixture_bytes(n, i) for n in sizes for i in impls):
        dat_fix = os.path.join(datdir, f"{fam}.bytes.dat")
        write_table(dat_fix, sizes, impls, fixture_bytes)
        has_bulk = any(bulk_bytes(n, i) for n in sizes for i in impls)
        dat_bulk = os.path.join(datdir, f"{fam}.bytes_bulk.dat")
        if has_bulk:
            write_table(dat_bulk, sizes, impls, bulk_bytes)
        for term, target in terminals(os.path.join(out, fam + ".bytes"), 640, 420):
            plots = plot_lines(dat_fix, impls) + (plot_lines(dat_bulk, impls, dashed=True) if has_bulk else [])
            lines = [term, f"set output {quote(target)}"] + common + [
                "set yrange [0:*]", "set ylabel 'bytes / entry'", "set key outside right top",
                f"set title {quote(f'{fam}: bytes per entry ({what}; lower is better)')} noenhanced",
                "plot " + ", ".join(plots),
            ]
            draw(os.path.join(datdir, f"{fam}.bytes.{os.path.splitext(target)[1][1:]}.gp"), lines, gnuplot)
            files.append(target)
    return files


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("results")
    ap.add_argument("outdir")
    ap.add_argument("--each", action="store_true", help="also one chart per operation")
    ap.add_argument("--gnuplot", default=shutil.which("gnuplot") or "gnuplot")
    args = ap.parse_args()
    if not shutil.which(args.gnuplot) and not os.path.exists(args.gnuplot):
        print("charts: gnuplot not found (apt-get install gnuplot-nox); no charts drawn", file=sys.stderr)
        return 1
    _, results = bj.load(args.results)
    os.makedirs(args.outdir, exist_ok=True)
    by_family = {}
    for r in results:
        by_family.setdefault(r.family, []).append(r)
    files = []
    for fam in sorted(by_family):
        files += chart_family(fam, by_family[fam], os.path.abspath(args.outdir), args.gnuplot, args.each)
    print(f"charts: {len(files)} files in {args.outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
