"""Reads the Google Benchmark JSON that bptree_bench writes (standard library only).

A benchmark is named  op/family/impl/n  (Google Benchmark appends /manual_time), e.g.
find_hit/set.int64/bptree/1000000 or ZADD/sorted_set/std/100000. For each benchmark this module
returns one Result with the median over repetitions: the "median" aggregate when the run had
repetitions, else the median of the iteration runs.
"""

import json
import statistics
from dataclasses import dataclass, field
from typing import Dict, List, Optional

# Containers and adaptor backends in table and chart order.
IMPL_ORDER = ["bptree", "std", "absl", "pbds"]

# Operations in table order (unknown operations follow, alphabetically).
OP_ORDER = [
    "find_hit", "find_miss", "lower_bound_scan100", "iterate_forward", "iterate_backward",
    "front_back", "rank", "nth", "insert_random", "insert_sequential", "insert_reverse",
    "erase_random", "pop_front", "range_erase", "mixed", "bulk_load",
    "ZADD", "ZREM", "ZSCORE", "ZRANK", "ZRANGE", "ZRANGEBYSCORE",
    "XADD", "XRANGE", "XTRIM", "XDEL",
    "TS.ADD", "TS.RANGE", "TS.RANGE_AGG",
]

COUNTERS = ["ns_per_op", "ns_per_op_mean", "items_per_second", "bytes_per_entry", "allocs_per_entry", "heap_bytes_per_entry",
            "p50_ns", "p99_ns", "p999_ns", "lat_batch", "lat_samples", "vs_std"]


@dataclass
class Result:
    name: str
    op: str
    family: str
    impl: str
    n: int
    values: Dict[str, float] = field(default_factory=dict)
    label: str = ""
    error: str = ""

    def get(self, counter: str) -> Optional[float]:
        return self.values.get(counter)

    @property
    def ns(self) -> Optional[float]:
        return self.values.get("ns_per_op")


def clean_name(name: str) -> str:
    """Our four components op/family/impl/n, without the ones Google Benchmark appends
    ("/min_time:0.003", "/manual_time")."""
    return "/".join(name.split("/")[:4])


def split(name: str):
    parts = clean_name(name).split("/")
    if len(parts) != 4:
        return None
    op, family, impl, n = parts
    try:
        return op, family, impl, int(n)
    except ValueError:
        return None


def load(path: str):
    """Returns (context dict, list of Result) for one results file."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    context = data.get("context", {})
    rows: Dict[str, List[dict]] = {}
    medians: Dict[str, dict] = {}
    errors: Dict[str, dict] = {}
    for b in data.get("benchmarks", []):
        base = clean_name(b.get("run_name", b.get("name", "")))
        if b.get("error_occurred"):
            errors[base] = b
            continue
        if b.get("run_type") == "aggregate":
            if b.get("aggregate_name") == "median":
                medians[base] = b
        else:
            rows.setdefault(base, []).append(b)
    results = []
    for base in list(dict.fromkeys(list(rows) + list(medians) + list(errors))):
        parsed = split(base)
        if parsed is None:
            continue
        op, family, impl, n = parsed
        r = Result(base, op, family, impl, n)
        if base in errors:
            r.error = errors[base].get("error_message", "error")
            r.label = errors[base].get("label", "")
        elif base in medians:
            m = medians[base]
            r.label = m.get("label", "")
            for c in COUNTERS:
                if c in m:
                    r.values[c] = float(m[c])
        else:
            runs = rows[base]
            r.label = runs[-1].get("label", "")
            for c in COUNTERS:
                vals = [float(x[c]) for x in runs if c in x]
                if vals:
                    r.values[c] = statistics.median(vals)
        results.append(r)
    return context, results


def op_key(op: str):
    return (OP_ORDER.index(op), op) if op in OP_ORDER else (len(OP_ORDER), op)


def impl_key(impl: str):
    return (IMPL_ORDER.index(impl), impl) if impl in IMPL_ORDER else (len(IMPL_ORDER), impl)


def format_ns(ns: Optional[float]) -> str:
    if ns is None:
        return "-"
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e4:
        return f"{ns / 1e3:.1f} µs"
    if ns >= 1e3:
        return f"{ns / 1e3:.2f} µs"
    if ns >= 100:
        return f"{ns:.0f} ns"
    if ns >= 10:
        return f"{ns:.1f} ns"
    return f"{ns:.2f} ns"


def format_size(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1000 and n % 1000 == 0:
        return f"{n // 1000}K"
    return str(n)
