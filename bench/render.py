#!/usr/bin/env python3
"""Render jmpco's benchmark results: a Markdown report and a round-trip plot.

Usage: render.py [--results FILE] [--rss FILE] [--revision FILE] [--markdown FILE]
                 [--plot FILE | --no-plot]

  --results   Google Benchmark JSON from jmpco_bench (default build/bench/results.json)
  --rss       JSON written by `suspended_rss --json` (default build/bench/suspended_rss.json;
              skipped when missing)
  --revision  file whose first line is the `git describe` of the source the binaries were built
              from, and whose other lines are `git status --short` of lib/ and include/ (written by
              ci/bench); without it, the checkout's state now
  --markdown  the report to write (default bench/RESULTS.md)
  --plot      the PNG to write (default bench/roundtrip.png); needs matplotlib, which on Debian
              is python3-matplotlib for /usr/bin/python3
  --no-plot   do not draw the plot

The tables use only the standard library. Times are the median (and, where shown, the least) of the
repetitions: CPU time for single-threaded benchmarks, wall-clock time for those registered with
UseRealTime (the std::thread peer).
"""

import argparse
import datetime
import json
import os
import platform
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIZES = [0, 256, 1024, 4096, 16384]

# Display order and labels of the libraries.
LIBRARIES = [
    ("jmpco", "jmpco"),
    ("boost-fiber", "Boost.Context fiber"),
    ("ucontext", "ucontext (swapcontext)"),
    ("lua", "Lua 5.4 (Lua function)"),
    ("lua-cfunction", "Lua 5.4 (C function, lua_yieldk)"),
    ("cxx20-stackless", "C++20 stackless"),
    ("std-thread", "std::thread + condvar"),
    ("copy-stack-floor", "copy-stack floor (jump + copy only)"),
    ("memcpy-2x", "memcpy 2x (baseline, aligned)"),
    ("memcpy-2x-off16", "memcpy 2x, copy 16 B off a line"),
    ("hand-iterator", "hand-written iterator"),
]
LABEL = dict(LIBRARIES)
ORDER = {name: i for i, (name, _) in enumerate(LIBRARIES)}

# The targets of issue 17.
TARGET_VS_BOOST = 2.5      # jmpco round trip, generator item, chain switch: at most 2.5x Boost's
# At least this many times as fast as each Lua 5.4 peer: 2x the Lua function body, and faster
# than the C function body (lua_yieldk).
TARGET_VS_LUA = {"lua": 2.0, "lua-cfunction": 1.0}
TARGET_VS_UCONTEXT = 2.0   # "far ahead of ucontext": read here as at least 2x faster
TARGET_SUSPENDED = 256.0   # bytes per suspended trivial generator, all included
TARGET_10M_GIB = 2.75      # 10,000,000 suspended trivial generators in this much RSS
TARGET_10M_BYTES = TARGET_10M_GIB * 1024 ** 3 / 10_000_000


def load_results(path):
    with open(path) as f:
        data = json.load(f)
    runs = {}
    for b in data.get("benchmarks", []):
        run_name = b.get("run_name", b["name"])
        name = re.sub(r"(/iterations:\d+|/real_time)+$", "", run_name)
        kind = b.get("aggregate_name") or "single"
        row = dict(b)
        # Single-threaded benchmarks: the process's CPU time, which time spent waiting for a CPU
        # taken by other work on the machine does not inflate. Benchmarks that hand work to other
        # threads (registered with UseRealTime) are measured by the wall clock.
        row["_uses_real_time"] = "/real_time" in run_name
        runs.setdefault(name, {})[kind] = row
    return data.get("context", {}), runs


def pick(runs, name):
    """The median row of a benchmark (or its only row), or None."""
    r = runs.get(name)
    if not r:
        return None
    for kind in ("median", "mean", "single"):
        if kind in r:
            return r[kind]
    return None


def ns(row):
    if row is None or row.get("error_occurred"):
        return None
    scale = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}[row.get("time_unit", "ns")]
    return row["real_time" if row.get("_uses_real_time") else "cpu_time"] * scale


def time_of(runs, name):
    return ns(pick(runs, name))


def best_of(runs, name):
    """The least of the repetitions (the "min" aggregate), or the only run."""
    r = runs.get(name) or {}
    return ns(r.get("min") or r.get("single"))


def cv_of(runs, name):
    r = runs.get(name, {}).get("cv")
    return None if r is None else r.get("real_time" if r.get("_uses_real_time") else "cpu_time")


def counter(runs, name, key):
    row = pick(runs, name)
    if row is None:
        return None
    return row.get(key)


def fmt_ns(v):
    if v is None:
        return "–"
    if v >= 1e6:
        return f"{v / 1e6:.2f} ms"
    if v >= 1e4:
        return f"{v / 1e3:.1f} µs"
    if v >= 100:
        return f"{v:.0f} ns"
    if v >= 10:
        return f"{v:.1f} ns"
    return f"{v:.2f} ns"


def fmt_bytes(v):
    if v is None:
        return "–"
    if v >= 10 * 1024:
        return f"{v / 1024:.1f} KiB"
    return f"{v:.0f} B"


def libraries_in(runs, prefix):
    found = set()
    for name in runs:
        parts = name.split("/")
        if len(parts) >= 2 and parts[0] == prefix:
            found.add(parts[1])
    return sorted(found, key=lambda n: (ORDER.get(n, 99), n))


def table(header, rows, align=None):
    align = align or ["l"] + ["r"] * (len(header) - 1)
    marks = {"l": ":---", "r": "---:", "c": ":---:"}
    out = ["| " + " | ".join(header) + " |", "|" + "|".join(marks[a] for a in align) + "|"]
    for r in rows:
        out.append("| " + " | ".join(r) + " |")
    return "\n".join(out)


def run(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return ""


def machine(context, revision=None):
    cpu = "unknown"
    cores = os.cpu_count()
    physical = set()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name") and cpu == "unknown":
                    cpu = line.split(":", 1)[1].strip()
                if line.startswith("core id"):
                    physical.add(line.split(":", 1)[1].strip())
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal"):
                    mem = f"{int(line.split()[1]) / 1048576:.1f} GiB"
    except OSError:
        pass
    caches = ", ".join(
        f"L{c['level']}{'d' if c['type'] == 'Data' else 'i' if c['type'] == 'Instruction' else ''} "
        f"{c['size'] // 1024} KiB" for c in context.get("caches", []))
    gxx = run(["c++", "--version"]).splitlines()
    clang = run(["clang++", "--version"]).splitlines()
    libc = " ".join(os.confstr("CS_GNU_LIBC_VERSION").split()) if hasattr(os, "confstr") else ""
    if revision:
        first, *changed = revision
        git = first + (" with uncommitted changes to " + ", ".join(
            line.split()[-1] for line in changed if line.strip()) if any(l.strip() for l in changed) else "")
    else:
        git = run(["git", "-C", ROOT, "describe", "--always", "--dirty", "--abbrev=12"])
    lines = [
        f"- Date: {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}"
        f" (benchmark run {context.get('date', '?')})",
        f"- CPU: {cpu}; {cores} logical CPUs ({len(physical) or '?'} cores), "
        f"{context.get('mhz_per_cpu', '?')} MHz; caches: {caches or '?'}",
        f"- Memory: {mem or '?'}; kernel {platform.release()}; {libc}",
        f"- Load average during the run (1/5/15 min): "
        + " / ".join(f"{x:.2f}" for x in context.get("load_avg", [])),
        f"- Compiler used: {context.get('build', '?')} (`__VERSION__` {context.get('compiler', '?')})",
        f"- Compilers installed: {gxx[0] if gxx else '?'}; {clang[0] if clang else 'no clang'}",
        f"- jmpco source built: `{git or '?'}`",
        f"- Google Benchmark's own library build: {context.get('library_build_type', '?')}",
    ]
    libs = sorted((k[len("library:"):], v) for k, v in context.items() if k.startswith("library:"))
    if libs:
        lines.append("- Libraries: " + "; ".join(f"**{k}**: {v}" for k, v in libs))
    return "\n".join(lines)


def verdict(ok, miss=""):
    return "**met**" if ok else "**missed**" + (f" by {miss}" if miss else "")


def time_targets(runs, get):
    """Speed targets with times from `get` (median or best): [(target, measured, verdict)]."""
    out = []
    j = {s: get(runs, f"roundtrip/jmpco/{s}") for s in SIZES}
    for s in (0, 256):
        b = get(runs, f"roundtrip/boost-fiber/{s}")
        if j[s] is not None and b is not None:
            r = j[s] / b
            out.append((f"round trip at {s} B ≤ {TARGET_VS_BOOST:g}x Boost.Context fiber",
                        f"{fmt_ns(j[s])} vs {fmt_ns(b)}: {r:.1f}x",
                        verdict(r <= TARGET_VS_BOOST, f"{r / TARGET_VS_BOOST:.2f}x")))
        # Not a target: where the mechanism alone stands (bench/floor_copy_stack.cpp). A target
        # below this ratio is below what any setjmp/longjmp copy-stack switch reaches here.
        f = get(runs, f"roundtrip/copy-stack-floor/{s}")
        if f is not None and b is not None:
            out.append((f"(the floor) copy-stack floor at {s} B against Boost.Context fiber",
                        f"{fmt_ns(f)} vs {fmt_ns(b)}: {f / b:.1f}x; jmpco {j[s] / f:.2f}x the floor"
                        if j[s] is not None else f"{fmt_ns(f)} vs {fmt_ns(b)}: {f / b:.1f}x",
                        "not a target"))
    for lua, want in TARGET_VS_LUA.items():
        t = get(runs, f"roundtrip/{lua}/0")
        goal = f"≥ {want:g}x as fast as" if want > 1 else "faster than"
        for s in (0, 256):
            if t is not None and j[s] is not None:
                r = t / j[s]
                out.append((f"round trip at {s} B {goal} {LABEL[lua]} at 0 B",
                            f"{fmt_ns(j[s])} vs {fmt_ns(t)}: {r:.2f}x as fast",
                            verdict(r >= want, f"{want / r:.2f}x")))
    out += per_switch_targets(runs, get)
    for s in (0, 256):
        t = get(runs, f"roundtrip/ucontext/{s}")
        if t is not None and j[s] is not None:
            r = t / j[s]
            out.append((f"round trip at {s} B far ahead of ucontext (read as ≥ {TARGET_VS_UCONTEXT:g}x faster)",
                        f"{fmt_ns(j[s])} vs {fmt_ns(t)}: {r:.1f}x faster",
                        verdict(r >= TARGET_VS_UCONTEXT, f"{TARGET_VS_UCONTEXT / r:.1f}x")))
    m0 = get(runs, "baseline/memcpy-2x/0")
    for s in SIZES[1:]:
        m = get(runs, f"baseline/memcpy-2x/{s}")
        if None in (j[s], j[0], m, m0) or m - m0 <= 0:
            continue
        a, b = j[s] - j[0], m - m0
        r = a / b
        out.append((f"time added by {s} B of live stack ≤ memcpy 2x of {s} B",
                    f"{'+' if a >= 0 else '−'}{fmt_ns(abs(a))} vs {fmt_ns(b)}: {r:.2f}x",
                    verdict(r <= 1.0, f"{r:.2f}x")))
    return out


def per_switch_targets(runs, get):
    """Generator item and nested-chain switch against Boost.Context's: [(target, measured, verdict)]."""
    out = []
    cases = [("generator/{}/1000", 1000, "generator iteration per item")] + [
        (f"chain/{{}}/{d}", 2 * d, f"nested chain of {d}, per switch") for d in (10, 100)]
    for pattern, per, what in cases:
        j, b = get(runs, pattern.format("jmpco")), get(runs, pattern.format("boost-fiber"))
        if j is None or b is None:
            continue
        r = j / b
        out.append((f"{what} ≤ {TARGET_VS_BOOST:g}x Boost.Context fiber",
                    f"{fmt_ns(j / per)} vs {fmt_ns(b / per)}: {r:.1f}x",
                    verdict(r <= TARGET_VS_BOOST, f"{r / TARGET_VS_BOOST:.2f}x")))
    return out


def targets(runs, rss):
    reps = repetitions(runs)
    med = time_targets(runs, time_of)
    best = {t: (m, v) for t, m, v in time_targets(runs, best_of)} if reps > 1 else {}
    rows = []
    for t, m, v in med:
        bm, bv = best.get(t, ("–", ""))
        rows.append([t, m, v] + ([bm, bv] if reps > 1 else []))
    pad = ["", ""] if reps > 1 else []
    # glibc's malloc: a chunk is the request + 8, rounded up to 16 (at least 32).
    def chunk(n):
        return max(32, (int(n) + 8 + 15) // 16 * 16)
    fp = counter(runs, "memory/jmpco-generator/0", "footprint_bytes")
    handle = counter(runs, "memory/jmpco-generator/0", "handle_bytes")
    go = counter(runs, "memory/jmpco-generator/0", "object_bytes")
    gc = counter(runs, "memory/jmpco-generator/0", "stack_copy_bytes")
    if fp is not None and go is not None and gc is not None:
        # The verdict takes the chunks malloc makes for the two requests; the footprint measured
        # with malloc_usable_size may come out a fraction of a byte larger on average, where malloc
        # handed out a free chunk a little larger than asked (the process has freed many blocks).
        need = chunk(go) + chunk(gc)
        rows.append([f"suspended trivial generator ≤ {TARGET_SUSPENDED:g} B (object + stack copy + malloc overhead)",
                     f"{need} B: object {go:.0f} B + copy {gc:.0f} B with malloc's headers"
                     + (f" (+ {handle:.0f} B handle)" if handle else "")
                     + f"; measured with malloc_usable_size: {fp:.1f} B",
                     verdict(need <= TARGET_SUSPENDED,
                             f"{need - TARGET_SUSPENDED:.0f} B ({need / TARGET_SUSPENDED:.2f}x)")] + pad)
    fo = counter(runs, "roundtrip/copy-stack-floor/0", "object_bytes")
    fc = counter(runs, "roundtrip/copy-stack-floor/0", "stack_copy_bytes")
    if fo is not None and fc is not None:
        rows.append(["(the floor) a suspended copy-stack floor coroutine, 0 B live",
                     f"record {fo:.0f} B + copy {fc:.0f} B = {chunk(fo) + chunk(fc)} B with malloc's "
                     f"headers ({chunk(fo + fc)} B in one block)", "not a target"] + pad)
    for r in (rss or {}).get("runs", []):
        per = r["rss_per_coroutine"]
        rows.append([f"{r['count']:,} suspended trivial generators: peak RSS per coroutine ≤ "
                     f"{TARGET_10M_BYTES:.0f} B (10M in {TARGET_10M_GIB:g} GiB)",
                     f"{per:.0f} B → 10M ≈ {per * 1e7 / 1024 ** 3:.1f} GiB",
                     verdict(per <= TARGET_10M_BYTES, f"{per / TARGET_10M_BYTES:.2f}x")] + pad)
    header = ["target", "measured (median)", "verdict"]
    if reps > 1:
        header += [f"best of {reps}", "verdict on best"]
    return table(header, rows, ["l"] * len(header))


def roundtrip_table(runs, get=time_of, show_cv=True):
    libs = [l for l in libraries_in(runs, "roundtrip")]
    rows = []
    for lib in libs:
        cells = [LABEL.get(lib, lib)]
        for s in SIZES:
            t = get(runs, f"roundtrip/{lib}/{s}")
            cv = cv_of(runs, f"roundtrip/{lib}/{s}") if show_cv else None
            cells.append(fmt_ns(t) + (f" ±{cv * 100:.0f}%" if cv is not None and cv >= 0.05 else ""))
        rows.append(cells)
    for b in ("memcpy-2x", "memcpy-2x-off16"):
        if any(get(runs, f"baseline/{b}/{s}") is not None for s in SIZES):
            rows.append([LABEL[b]] + [fmt_ns(get(runs, f"baseline/{b}/{s}")) for s in SIZES])
    j = [get(runs, f"roundtrip/jmpco/{s}") for s in SIZES]
    m = [get(runs, f"baseline/memcpy-2x/{s}") for s in SIZES]
    if all(x is not None for x in j + m):
        rows.append(["jmpco − memcpy 2x (switch overhead)"] + [fmt_ns(a - b) for a, b in zip(j, m)])
    return table(["library"] + [f"{s} B" for s in SIZES], rows)


def memory_table(runs):
    libs = [l for l in libraries_in(runs, "memory") if not l.endswith("-generator")]
    rows = []
    for lib in libs:
        cells = [LABEL.get(lib, lib)]
        for s in SIZES:
            fp = counter(runs, f"memory/{lib}/{s}", "footprint_bytes")
            req = counter(runs, f"memory/{lib}/{s}", "requested_bytes")
            cells.append("–" if fp is None else f"{fmt_bytes(fp)} ({fmt_bytes(req)})")
        rows.append(cells)
    for lib in [l for l in libraries_in(runs, "memory") if l.endswith("-generator")]:
        base = lib[: -len("-generator")]
        fp = counter(runs, f"memory/{lib}/0", "footprint_bytes")
        req = counter(runs, f"memory/{lib}/0", "requested_bytes")
        rows.append([LABEL.get(base, base) + ": trivial generator<int>",
                     "–" if fp is None else f"{fmt_bytes(fp)} ({fmt_bytes(req)})"] + [""] * (len(SIZES) - 1))
    return table(["library"] + [f"{s} B live" for s in SIZES], rows)


def jmpco_memory_breakdown(runs):
    rows = []
    for name, label in [(f"memory/jmpco/{s}", f"coroutine<void()>, {s} B live") for s in SIZES] + [
            ("memory/jmpco-generator/0", "generator<int>, trivial")]:
        row = pick(runs, name)
        if row is None:
            continue
        rows.append([label, f"{row.get('object_bytes', 0):.0f}", f"{row.get('stack_copy_bytes', 0):.0f}",
                     f"{row.get('requested_bytes', 0):.0f}", f"{row.get('usable_bytes', 0):.0f}",
                     f"{row.get('footprint_bytes', 0):.0f}", f"{row.get('handle_bytes', 0):.0f}"])
    return table(["jmpco", "object B", "stack copy B", "asked B", "usable B", "footprint B", "handle B"], rows)


def rss_section(rss):
    if not rss:
        return "_suspended_rss was not run._"
    lines = [
        f"Stack copy of one suspended trivial generator: {rss['stack_copy_bytes']} B allocated "
        f"(live slice ≈ {rss['slice_bytes_low']}–{rss['slice_bytes_high']} B); "
        f"`sizeof(jmpco::generator<int>)` = {rss['handle_bytes']} B.",
        "",
    ]
    rows = []
    for r in rss["runs"]:
        rows.append([f"{r['count']:,}", f"{(r['peak_rss'] - r['baseline_rss']) / 1048576:.1f} MiB",
                     f"{r['rss_per_coroutine']:.0f} B", f"{r['requested_per_coroutine']:.0f} B",
                     f"{r['footprint_per_coroutine']:.0f} B", f"{r['blocks_per_coroutine']:.2f}",
                     f"{r['seconds']:.2f} s",
                     f"{r['rss_per_coroutine'] * 1e7 / 1024 ** 3:.1f} GiB"])
    lines.append(table(["generators", "peak RSS − baseline", "RSS each", "heap asked each",
                        "heap footprint each", "blocks each", "create+start all", "10M would take"], rows))
    return "\n".join(lines)


def repetitions(runs):
    for r in runs.values():
        for row in r.values():
            if row.get("run_type") == "aggregate":
                return row.get("repetitions", 1)
    return 1


TARGET_ECHO_CONNECTIONS = 10_000  # issue 18: this many concurrent connections ...
TARGET_ECHO_MIB = 64              # ... in less than this much of the server's RSS
TARGET_SPAWN_VS_FIBER = 1.5  # issue 18: spawn + join within 1.5x of Boost.Fiber


def echo_section(echo):
    """The echo server under load (echo_load's JSON): a table, then the memory goal."""
    if not echo or not echo.get("runs"):
        return "Not measured in this run."
    label = {"jmpco": "jmpco, a task per connection",
             "threads": f"a thread per connection ({echo.get('thread_stack_bytes', 0) // 1024} KiB stacks)"}
    rows = []
    for r in echo["runs"]:
        ok = r["ok"]
        rows.append([label.get(r["server"], r["server"]), f"{r['connections']:,}",
                     "ok" if ok else "**failed**",
                     f"{r['connect_seconds']:.3f} s" if ok else "–",
                     f"{r['round_trips_per_second']:,.0f}" if ok else "–",
                     f"{r['rss_connected_bytes'] / 1024 ** 2:.1f} MiB" if ok else "–",
                     f"{r['rss_per_connection_bytes']:,.0f} B" if ok else "–"])
    out = [table(["server", "connections", "run", "all connected and echoed once",
                  "round trips / s", "server RSS", "RSS per connection"], rows,
                 ["l", "r", "l", "r", "r", "r", "r"]), ""]
    for r in echo["runs"]:
        if r["server"] == "jmpco" and r["connections"] == TARGET_ECHO_CONNECTIONS and r["ok"]:
            mib = r["rss_connected_bytes"] / 1024 ** 2
            out.append(f"Goal (issue 18): {TARGET_ECHO_CONNECTIONS:,} concurrent connections in "
                       f"under {TARGET_ECHO_MIB} MiB of the server's RSS: {mib:.1f} MiB, "
                       + verdict(mib < TARGET_ECHO_MIB, f"{mib / TARGET_ECHO_MIB:.2f}x") + ".")
    return "\n".join(out)


def channel_section(runs):
    """Channel ping-pong (bench/channel_pingpong.cpp): a table, then issue 18's goal."""
    cases = [("jmpco/unbuffered", "jmpco `channel<int>(0)`, two tasks of one thread"),
             ("jmpco/capacity-2", "jmpco `channel<int>(2)`, two tasks of one thread"),
             ("boost-fiber/capacity-2", "Boost.Fiber `buffered_channel<int>(2)`, two fibers"),
             ("jmpco-shared-channel/2-threads",
              "jmpco `shared_channel<int>`, a scheduler on each of two threads (wall clock)"),
             ("condition-variable/2-threads",
              "a mutex and a condition variable between two threads (wall clock)")]
    rows = [[what, fmt_ns(time_of(runs, f"channel_pingpong/{name}"))] for name, what in cases
            if time_of(runs, f"channel_pingpong/{name}") is not None]
    if not rows:
        return "Not measured in this run."
    out = [table(["channel", "ping + pong"], rows), ""]
    j = time_of(runs, "channel_pingpong/jmpco/capacity-2")
    b = time_of(runs, "channel_pingpong/boost-fiber/capacity-2")
    if j is not None and b is not None:
        r = j / b
        out.append(f"Goal (issue 18): ping-pong within {TARGET_SPAWN_VS_FIBER:g}x of Boost.Fiber's "
                   f"buffered_channel (same capacity): {fmt_ns(j)} vs {fmt_ns(b)}, {r:.2f}x, "
                   + verdict(r <= TARGET_SPAWN_VS_FIBER, f"{r / TARGET_SPAWN_VS_FIBER:.2f}x") + ".")
    return "\n".join(out)


def spawn_section(runs):
    """Spawn + join (bench/spawn_join.cpp): a table, then issue 18's goal against Boost.Fiber."""
    order = ["jmpco", "jmpco-no-cache", "boost-fiber", "boost-fiber-pooled", "std-thread"]
    found = set(libraries_in(runs, "spawn_join")) | set(libraries_in(runs, "spawn_join_1000"))
    libs = sorted(found, key=lambda n: (order.index(n) if n in order else len(order), n))
    if not libs:
        return "Not measured in this run."

    def get(kind, lib):
        return time_of(runs, f"{kind}/{lib}") or time_of(runs, f"{kind}/{lib}/real_time")

    label = {"jmpco": "jmpco, cache on (default limit)", "jmpco-no-cache": "jmpco, cache off",
             "boost-fiber": "Boost.Fiber fiber, default stack",
             "boost-fiber-pooled": "Boost.Fiber fiber, pooled stacks",
             "std-thread": "std::thread per task (wall clock)"}
    rows = [[label.get(lib, lib), fmt_ns(get("spawn_join", lib)),
             fmt_ns(get("spawn_join_1000", lib))] for lib in libs]
    out = [table(["library", "spawn + join", "1,000 spawned, then joined"], rows), ""]
    for kind, what in (("spawn_join", "one spawn + join"), ("spawn_join_1000", "1,000 spawns + joins")):
        j = get(kind, "jmpco")
        for peer in ("boost-fiber", "boost-fiber-pooled"):
            b = get(kind, peer)
            if j is None or b is None:
                continue
            r = j / b
            out.append(f"- Goal (issue 18): {what} within {TARGET_SPAWN_VS_FIBER:g}x of {label[peer]}: "
                       f"{fmt_ns(j)} vs {fmt_ns(b)}, {r:.2f}x, "
                       + verdict(r <= TARGET_SPAWN_VS_FIBER, f"{r / TARGET_SPAWN_VS_FIBER:.2f}x") + ".")
    return "\n".join(out)


def render_markdown(context, runs, rss, revision=None, echo=None):
    reps = repetitions(runs)
    how = f"the median of {reps} repetitions" if reps > 1 else "a single run (no repetitions)"
    chain_rows = []
    for lib in libraries_in(runs, "chain"):
        cells = [LABEL.get(lib, lib)]
        for d in (10, 100):
            t = time_of(runs, f"chain/{lib}/{d}")
            cells += [fmt_ns(t), fmt_ns(None if t is None else t / (2 * d))]
        chain_rows.append(cells)
    depth_rows = []
    for lib in libraries_in(runs, "depth"):
        times = [time_of(runs, f"depth/{lib}/{d}") for d in (0, 4, 16)]
        per_frame = None if None in (times[0], times[2]) else (times[2] - times[0]) / 16
        depth_rows.append([LABEL.get(lib, lib)] + [fmt_ns(t) for t in times] + [fmt_ns(per_frame)])
    gen_rows = []
    for lib in libraries_in(runs, "generator"):
        t = time_of(runs, f"generator/{lib}/1000")
        gen_rows.append([LABEL.get(lib, lib), fmt_ns(t), fmt_ns(None if t is None else t / 1000)])
    create_rows = [[LABEL.get(lib, lib), fmt_ns(time_of(runs, f"create/{lib}"))]
                   for lib in libraries_in(runs, "create")]

    out = [
        "# jmpco benchmark results",
        "",
        "Generated by `ci/bench` (`bench/render.py`) from one run of `jmpco_bench` and `suspended_rss` "
        "on the machine below; `bench/README.md` explains each benchmark. Times are "
        f"{how}: CPU time of the process for the single-threaded benchmarks (time spent waiting "
        "for a CPU held by other work on this shared machine does not count), wall-clock time for "
        "the std::thread peer. ±N% marks a coefficient of variation of 5% or more; see the load "
        "average below, and treat differences under ~10% as noise.",
        "",
        "## Machine",
        "",
        machine(context, revision),
        "",
        "## Targets",
        "",
        targets(runs, rss),
        "",
        "## Resume + yield round trip, by live stack bytes held across the yield",
        "",
        "Lua's bodies cannot hold a C buffer across a yield, so Lua is measured at 0 B only.",
        "",
        roundtrip_table(runs),
        "",
    ]
    if reps > 1:
        out += [f"The same, best of {reps} repetitions:", "", roundtrip_table(runs, best_of, False), ""]
    out += [
        "![round trip against live stack bytes](roundtrip.png)",
        "",
        "## Create + first resume + finish + destroy",
        "",
        table(["library", "time"], create_rows),
        "",
        "## Nested resume chains: one round trip through the whole chain",
        "",
        table(["library", "depth 10", "per switch", "depth 100", "per switch"], chain_rows),
        "",
        "## Round trip with the yield made N call frames below the body",
        "",
        "Each extra frame is one more return after every switch back into the coroutine. After a "
        "switch the CPU's return-address predictor still holds the other side's calls, so every "
        "library pays a mispredicted return for each frame it returns through (jmpco also copies "
        "16 more bytes per frame). At 0 frames Boost.Context returns through none (its switch "
        "ends with an indirect jump to the caller's continuation), jmpco through one on each side: "
        "the frame that took the `setjmp` (`resume_core`, `yield_core`).",
        "",
        table(["library", "0 frames", "4 frames", "16 frames", "per extra frame"], depth_rows),
        "",
        "## Generator: iterating 1000 ints (creation included)",
        "",
        table(["implementation", "1000 items", "per item"], gen_rows),
        "",
        "## Memory per suspended coroutine",
        "",
        "Heap footprint (malloc_usable_size + glibc's 8-byte chunk header per block), with the bytes "
        "asked for in parentheses. jmpco: everything its allocator saw (object + stack copy); "
        "Boost.Context and ucontext: the 64 KiB stack they are given (+ the ucontext_t pair); Lua: "
        "all that the state allocated for the thread; C++20: the coroutine frame. The handle the "
        "caller keeps (`handle_bytes`: a pointer in most libraries; "
        f"{counter(runs, 'memory/jmpco-generator/0', 'handle_bytes') or 0:.0f} B for "
        "`jmpco::generator<int>`) is not included.",
        "",
        memory_table(runs),
        "",
        "jmpco in detail (per coroutine, bytes):",
        "",
        jmpco_memory_breakdown(runs),
        "",
        "## Resident memory of many suspended trivial jmpco generators (`suspended_rss`)",
        "",
        rss_section(rss),
        "",
        "## Spawn + join (`spawn_join`)",
        "",
        "A task that returns a value, spawned and joined: jmpco's scheduler with its cache of "
        "finished tasks' memory (default limit) and without (`set_cache_limit(0)`), Boost.Fiber's "
        "`fiber` + `join` with its default and its pooled stacks, a `std::thread` per task "
        "(wall clock).",
        "",
        spawn_section(runs),
        "",
        "## Channel ping-pong (`channel_pingpong`)",
        "",
        "One value sent on a ping channel and answered on a pong channel, per iteration.",
        "",
        channel_section(runs),
        "",
        "## Echo server under load (`echo_load`)",
        "",
        f"An echo server on 127.0.0.1 in a process of its own; a client process opens N connections,"
        f" each echoes one message (then the server's RSS growth over N is the memory per"
        f" connection), then each makes {echo.get('messages', '?') if echo else '?'} more round"
        f" trips of 32 bytes, all N at once.",
        "",
        echo_section(echo),
        "",
    ]
    return "\n".join(out)


def plot(runs, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print(f"render.py: matplotlib is not available to {sys.executable}: no plot "
              "(install python3-matplotlib and run /usr/bin/python3)", file=sys.stderr)
        return False
    fig, ax = plt.subplots(figsize=(9, 5.8), dpi=120)
    xs = list(range(len(SIZES)))
    styles = {
        "jmpco": dict(color="#d62728", marker="o", linewidth=2.6),
        "boost-fiber": dict(color="#1f77b4", marker="s"),
        "ucontext": dict(color="#8c564b", marker="^"),
        "cxx20-stackless": dict(color="#2ca02c", marker="D"),
        "std-thread": dict(color="#7f7f7f", marker="v"),
        "lua": dict(color="#9467bd", linestyle=":"),
        "lua-cfunction": dict(color="#e377c2", linestyle=":"),
        "copy-stack-floor": dict(color="#ff9896", marker=".", linestyle="-."),
        "memcpy-2x": dict(color="black", marker="x", linestyle="--"),
        "memcpy-2x-off16": dict(color="#999999", marker="+", linestyle="--", linewidth=1),
    }
    for lib in libraries_in(runs, "roundtrip"):
        pts = [(x, time_of(runs, f"roundtrip/{lib}/{s}")) for x, s in zip(xs, SIZES)]
        pts = [(x, t) for x, t in pts if t is not None]
        if not pts:
            continue
        style = dict(styles.get(lib, {}))
        if len(pts) == 1:  # measured at 0 B only: drawn as a level line
            ax.axhline(pts[0][1], label=f"{LABEL.get(lib, lib)} (0 B only)", **style)
            continue
        ax.plot([p[0] for p in pts], [p[1] for p in pts], label=LABEL.get(lib, lib), **style)
    for b in ("memcpy-2x", "memcpy-2x-off16"):
        pts = [(x, time_of(runs, f"baseline/{b}/{s}")) for x, s in zip(xs, SIZES)]
        pts = [(x, t) for x, t in pts if t is not None and t > 0]
        if pts:
            ax.plot([p[0] for p in pts], [p[1] for p in pts], label=LABEL[b], **styles[b])
    ax.set_yscale("log")
    ax.set_xticks(xs)
    ax.set_xticklabels(["0", "256 B", "1 KiB", "4 KiB", "16 KiB"])
    ax.set_xlabel("live stack bytes held across the yield")
    ax.set_ylabel("resume + yield round trip (ns, log scale)")
    reps = repetitions(runs)
    ax.set_title("Resume + yield round trip against live stack size"
                 + (f" (median of {reps} repetitions)" if reps > 1 else ""))
    ax.grid(True, which="both", axis="y", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    fig.savefig(path)
    print(f"render.py: wrote {path}")
    return True


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--results", default=os.path.join(ROOT, "build/bench/results.json"))
    p.add_argument("--rss", default=os.path.join(ROOT, "build/bench/suspended_rss.json"))
    p.add_argument("--echo", default=os.path.join(ROOT, "build/bench/echo_load.json"))
    p.add_argument("--revision", default=None)
    p.add_argument("--markdown", default=os.path.join(ROOT, "bench/RESULTS.md"))
    p.add_argument("--plot", default=os.path.join(ROOT, "bench/roundtrip.png"))
    p.add_argument("--no-plot", action="store_true")
    args = p.parse_args()

    context, runs = load_results(args.results)
    rss = None
    if args.rss and os.path.exists(args.rss):
        with open(args.rss) as f:
            rss = json.load(f)
    echo = None
    if args.echo and os.path.exists(args.echo):
        with open(args.echo) as f:
            echo = json.load(f)
    revision = None
    if args.revision and os.path.exists(args.revision):
        with open(args.revision) as f:
            revision = f.read().splitlines() or None
    with open(args.markdown, "w") as f:
        f.write(render_markdown(context, runs, rss, revision, echo))
    print(f"render.py: wrote {args.markdown}")
    if not args.no_plot:
        plot(runs, args.plot)  # without matplotlib: a warning, and the table alone
    return 0


if __name__ == "__main__":
    sys.exit(main())
# SPDX-License-Identifier: MIT
