#!/usr/bin/python3
"""bench.py - crm against what a user would pick instead.

For each heavy job (the per-customer purchase summary, RFM scores, the
follow-ups that are due) on generated logs of 1 million and 10 million
events, time crm and DuckDB (through @duckdb/node-api), sqlite3, Miller
and gawk, after checking that every tool's output agrees with crm's (the
SHA-256 of the sorted, normalised rows).  The floor is wc -l on the same
file, run again just before each run of each tool, so that a tool's
ratio to it is taken at the host's speed of the moment.  Each figure is
the median of RUNS runs; peak memory is the largest resident set of
those runs.  Writes bench/RESULTS.md.

usage: bench/bench.py [--sizes 1m,10m] [--runs 5] [--tools crm,duckdb,...]
"""

import argparse
import csv
import datetime
import hashlib
import io
import os
import platform
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
DATA = os.path.join(HERE, "data")
OUT = os.path.join(HERE, "out")
BIN = os.path.join(TOP, "build", "bin")
JOBS = os.path.join(HERE, "jobs")

SIZES = {"1m": (1_000_000, 50_000), "10m": (10_000_000, 500_000)}
# The day after the generated log's last day: "as of" for RFM and due.
TODAY = "2026-01-01"


def run(cmd, stdout=None, stdin=None, env=None):
    """Run cmd; return (seconds, peak resident KB, exit status).

    The peak is GNU time's %M: the resident set a process inherits from
    this Python process when it is forked would count in its own rusage.
    """
    rss = os.path.join(OUT, "rss")
    t0 = time.perf_counter()
    p = subprocess.Popen(["/usr/bin/time", "-f", "%M", "-o", rss] + cmd,
                         stdout=stdout or subprocess.DEVNULL, stdin=stdin, env=env)
    p.wait()
    t = time.perf_counter() - t0
    try:
        with open(rss) as f:
            kb = int(f.read().split()[-1])
    except (OSError, ValueError, IndexError):
        kb = 0
    return t, kb, p.returncode


def sh(cmd, **kw):
    subprocess.run(cmd, check=True, **kw)


def fill(template, **subst):
    with open(os.path.join(JOBS, template)) as f:
        text = f.read()
    for k, v in subst.items():
        text = text.replace("@%s@" % k, v)
    return text


# ---- normalising the outputs, to compare them -------------------------

def money(s):
    return "%.2f" % float(s) if s not in ("", None) else ""


def day(s):
    return (s or "")[:10]


def rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def digest(lines):
    lines = sorted(lines)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16], len(lines)


def norm_summary(path, tool):
    out = []
    for r in rows(path):
        out.append(",".join([r["customer"], str(int(float(r["purchases"] or 0))),
                             day(r["first"]), day(r["last"]), money(r["revenue"])]))
    return digest(out)


def norm_rfm(path, tool):
    out = []
    for r in rows(path):
        cust = r.get("customer") or r.get("id")
        if r["r"] == "":
            continue            # crm's "No Purchases"
        out.append(",".join([cust, r["r"], r["f"], r["m"]]))
    return digest(out)


def norm_due(path, tool):
    out = []
    for r in rows(path):
        cust = r.get("customer")
        if tool == "crm" and r.get("kind") != "followup":
            continue
        out.append(",".join([cust, day(r["due"])]))
    return digest(out)


NORM = {"summary": norm_summary, "rfm": norm_rfm, "due": norm_due}


# ---- the commands -----------------------------------------------------

def commands(job, tool, size, log, customers, store, out):
    """The command that does job with tool, writing CSV to out."""
    node_env = dict(os.environ, NODE_PATH=os.path.join(HERE, "node_modules"))
    if tool == "crm1":
        # crm's default on two processors is two threads (one reads the
        # log, one counts); this is the one-thread figure beside it.
        cmd, _ = commands(job, "crm", size, log, customers, store, out)
        return cmd, dict(os.environ, CRM_THREADS="1")
    if tool == "crm":
        if job == "summary":
            return [os.path.join(BIN, "crm-ltv"), "--summary", "--csv", log], None
        if job == "rfm":
            return [os.path.join(BIN, "crm-segment"), "--rfm", "--csv",
                    "--today", TODAY, "--log", log, customers], None
        if job == "due":
            return [os.path.join(BIN, "crm-due"), "-d", store, "--csv",
                    "--today", TODAY, "--no-complaints", "--no-cadence",
                    "--no-birthdays"], None
    if tool == "duckdb":
        sql = os.path.join(OUT, "%s-%s.duckdb.sql" % (job, size))
        with open(sql, "w") as f:
            f.write(fill("%s.duckdb.sql" % job, LOG=log, OUT=out,
                         TODAY=TODAY, CUSTOMERS=customers))
        return ["node", os.path.join(HERE, "duckdb.mjs"), sql], node_env
    if tool == "sqlite3":
        sql = os.path.join(OUT, "%s-%s.sqlite.sql" % (job, size))
        with open(sql, "w") as f:
            f.write(fill("%s.sqlite.sql" % job, LOG=log, OUT=out, TODAY=TODAY,
                         CUSTOMERS=customers))
        return ["sqlite3", "-batch", ":memory:", ".read " + sql], None
    if tool == "mlr":
        return ["mlr", "--icsv", "--ocsv", "put", "-q", "-f",
                os.path.join(JOBS, "%s.mlr" % job), log], None
    if tool == "gawk":
        return ["gawk", "-v", "today=" + TODAY, "-f", os.path.join(JOBS, "csv.awk"),
                "-f", os.path.join(JOBS, "%s.awk" % job), log], None
    raise KeyError(tool)


def has_job(tool, job):
    if tool == "crm":
        return True
    if tool == "crm1":
        return job in ("summary", "rfm")
    if tool == "duckdb":
        return os.path.exists(os.path.join(JOBS, "%s.duckdb.sql" % job))
    if tool == "sqlite3":
        return os.path.exists(os.path.join(JOBS, "%s.sqlite.sql" % job))
    if tool == "mlr":
        return os.path.exists(os.path.join(JOBS, "%s.mlr" % job))
    if tool == "gawk":
        return os.path.exists(os.path.join(JOBS, "%s.awk" % job))
    return False


def prepare(size):
    events, customers = SIZES[size]
    log = os.path.join(DATA, "log-%s.csv" % size)
    cust = os.path.join(DATA, "customers-%s.csv" % size)
    store = os.path.join(DATA, "store-%s" % size)
    gen = os.path.join(OUT, "gen")
    if not os.path.exists(log):
        with open(log + ".tmp", "w") as f:
            sh([gen, str(events), str(customers)], stdout=f)
        os.rename(log + ".tmp", log)
    if not os.path.exists(cust):
        with open(cust, "w") as f:
            sh([gen, "--customers", str(customers)], stdout=f)
    if not os.path.exists(store):
        os.makedirs(store, mode=0o700)
        # The store is the same two files: a hard link, not a copy.
        os.link(log, os.path.join(store, "log.csv"))
        os.link(cust, os.path.join(store, "customers.csv"))
    # A store is private (crm warns otherwise), and so are its links.
    for f in (log, cust):
        os.chmod(f, 0o600)
    return log, cust, store


def machine():
    model = ""
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                mem = "%.0f GiB" % (int(line.split()[1]) / 1024 / 1024)
    except OSError:
        pass
    osrel = ""
    try:
        for line in open("/etc/os-release"):
            if line.startswith("PRETTY_NAME="):
                osrel = line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return "%s, %d cores, %s RAM; %s, Linux %s" % (
        model, os.cpu_count(), mem, osrel, platform.release())


def version(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True).stdout.splitlines()[0]
    except (OSError, IndexError):
        return "?"


def warm(paths):
    """Read files (and the files in directories) into the page cache."""
    for p in paths:
        if os.path.isdir(p):
            warm([os.path.join(p, f) for f in sorted(os.listdir(p))])
        elif os.path.isfile(p):
            sh(["cat", p], stdout=subprocess.DEVNULL)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1m,10m")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--tools", default="crm,crm1,duckdb,sqlite3,mlr,gawk")
    ap.add_argument("--slow", type=float, default=60,
                    help="a tool whose first run takes longer runs once")
    ap.add_argument("--jobs", default="summary,rfm,due")
    ap.add_argument("--fit", type=int, default=1_000_000,
                    help="customers for the model fit (0: none)")
    ap.add_argument("--results", default=os.path.join(HERE, "RESULTS.md"))
    a = ap.parse_args()
    os.makedirs(DATA, exist_ok=True)
    os.makedirs(OUT, exist_ok=True)
    sh(["cc", "-O2", "-o", os.path.join(OUT, "gen"), os.path.join(HERE, "gen.c"), "-lm"])
    tools = a.tools.split(",")
    report = []
    fit = bench_fit(a) if a.fit else None
    for size in [x for x in a.sizes.split(",") if x]:
        log, cust, store = prepare(size)
        mb = os.path.getsize(log) / 1e6
        # Warm the page cache: every tool reads the file from memory.
        sh(["cat", log], stdout=subprocess.DEVNULL)
        floor = [run(["wc", "-l", log])[0] for _ in range(a.runs)]
        wc = statistics.median(floor)
        print("%s: %s, %.0f MB; wc -l %.3f s" % (size, log, mb, wc), flush=True)
        for job in a.jobs.split(","):
            ref = None
            results = []
            for tool in tools:
                if not has_job(tool, job):
                    continue
                out = os.path.join(OUT, "%s-%s-%s.csv" % (job, size, tool))
                cmd, env = commands(job, tool, size, log, cust, store, out)
                # Again before each tool: one that used gigabytes (mlr
                # takes 9 GB on the 10M log) can push the inputs out of
                # the page cache, and the next tool then reads the disk.
                warm([log, cust, store])
                times, rss, ok = [], [], True
                floor_t = []
                for i in range(a.runs):
                    # The floor again, just before each run: the host's
                    # speed drifts (wc -l took 0.09 s one morning, 0.17 s
                    # another), and a ratio of two times taken minutes
                    # apart would measure the drift too.
                    floor_t.append(run(["wc", "-l", log])[0])
                    if tool in ("crm", "crm1", "mlr", "gawk"):
                        with open(out, "w") as f:
                            t, m, rc = run(cmd, stdout=f, env=env)
                    else:
                        t, m, rc = run(cmd, env=env)
                    if rc != 0:
                        print("  %s %s: exit %d" % (job, tool, rc), flush=True)
                        ok = False
                        break
                    times.append(t)
                    rss.append(m)
                    if t > a.slow:
                        break       # minutes a run: one is enough to compare
                if not ok:
                    results.append((tool, None, None, "failed", 0, None))
                    continue
                d, n = NORM[job](out, tool)
                if ref is None:
                    ref = d
                agree = "yes (%d rows)" % n if d == ref else "NO (%s vs %s)" % (d, ref)
                med = statistics.median(times)
                wcm = statistics.median(floor_t[:len(times)])
                floor.extend(floor_t)
                results.append((tool, med, max(rss), agree, len(times), wcm))
                print("  %-8s %-8s %7.3f s  %6.0f MB  %.1f× wc -l (%.3f s)  %s" % (
                      job, tool, med, max(rss) / 1024, med / wcm, wcm, agree),
                      flush=True)
            duck = next((r[1] for r in results if r[0] == "duckdb" and r[1]), None)
            report.append((size, mb, statistics.median(floor), job, results, duck))
    write_results(a, report, fit)


def bench_fit(a):
    """The BG/NBD + Gamma-Gamma fit on a drawn summary of a.fit customers."""
    path = os.path.join(DATA, "bgnbd-%d.csv" % a.fit)
    if not os.path.exists(path):
        with open(path + ".tmp", "w") as f:
            sh([os.path.join(OUT, "gen"), "--bgnbd", str(a.fit)], stdout=f)
        os.rename(path + ".tmp", path)
    out = os.path.join(OUT, "fit.json")
    cmd = [os.path.join(BIN, "crm-ltv"), "--fit", "--json", path]
    times, rss = [], []
    for _ in range(a.runs):
        with open(out, "w") as f:
            t, m, rc = run(cmd, stdout=f)
        if rc != 0:
            return None
        times.append(t)
        rss.append(m)
    import json
    with open(out) as f:
        params = json.load(f)
    res = (a.fit, statistics.median(times), max(rss), params)
    print("fit %d customers: %.3f s, %.0f MB: %s" % (a.fit, res[1], res[2] / 1024,
          params), flush=True)
    return res


def targets(report, fit):
    """The issue's targets, each met or not, from the figures above."""
    out = ["## Against the targets", ""]
    for size, mb, wc, job, results, duck in report:
        if size != "10m" or job not in ("summary", "rfm"):
            continue
        for tool, med, rss, agree, n, wcm in results:
            if tool not in ("crm", "crm1") or med is None:
                continue
            name = "crm" if tool == "crm" else "crm, CRM_THREADS=1"
            customers = SIZES[size][1]
            per = (rss * 1024 - 4 * 2**20) / customers
            out.append("- %s %s, 10m: %.2f× DuckDB's speed (target ≥ 2: %s); "
                       "%.1f× wc -l (target ≤ 6: %s); %.0f bytes a customer "
                       "above 4 MB (target < 200: %s)." % (
                           job, name, duck / med if duck else 0,
                           "met" if duck and duck / med >= 2 else "not met",
                           med / wcm, "met" if med / wcm <= 6 else "not met",
                           per, "met" if per < 200 else "not met"))
    if fit:
        out.append("- the fit on %s customers: %.2f s (target < 5 s: %s)." % (
            format(fit[0], ","), fit[1], "met" if fit[1] < 5 else "not met"))
    out.append("")
    return out


def write_results(a, report, fit):
    lines = []
    lines.append("# Benchmarks")
    lines.append("")
    lines.append("Measured by `make bench` (bench/bench.py) on %s." %
                 datetime.date.today().isoformat())
    lines.append("")
    lines.append("Machine: %s." % machine())
    lines.append("")
    lines.append("Tools: crm %s; DuckDB through @duckdb/node-api (Node %s); %s; %s; %s." % (
        version([os.path.join(BIN, "crm-ltv"), "--version"]).split()[-1],
        version(["node", "--version"]), version(["sqlite3", "--version"])[:20],
        version(["mlr", "--version"]), version(["gawk", "--version"]).split(",")[0]))
    lines.append("")
    lines.append("Each time is the median of %d runs on a warm page cache; memory is "
                 "the largest peak resident set of those runs.  Outputs are "
                 "compared row by row (sorted, normalised) with crm's before any "
                 "time counts.  `wc -l` on the same file, the floor, runs just "
                 "before each run of each tool, and a tool's ratio to it is its "
                 "median over the median of the `wc -l` runs alternated with "
                 "it: the host's speed drifts over the minutes a tool takes.  "
                 "The `wc -l` in a heading is the median of all of them." % a.runs)
    lines.append("")
    for size, mb, wc, job, results, duck in report:
        lines.append("## %s, %s events (%.0f MB); wc -l %.3f s" % (
            job, size, mb, wc))
        lines.append("")
        lines.append("| tool | runs | median s | wc -l s, alternated | × wc -l | × DuckDB | peak MB | output agrees |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|---|")
        for tool, med, rss, agree, n, wcm in results:
            name = "crm, CRM_THREADS=1" if tool == "crm1" else tool
            if med is None:
                lines.append("| %s | — | — | — | — | — | — | %s |" % (name, agree))
                continue
            lines.append("| %s | %d | %.3f | %.3f | %.1f | %s | %.0f | %s |" % (
                name, n, med, wcm, med / wcm, "%.2f" % (med / duck) if duck else "—",
                rss / 1024, agree))
        lines.append("")
    lines.extend(targets(report, fit))
    if fit:
        n, med, rss, p = fit
        bg, gg = p["bgnbd"], p["gg"]
        lines.append("## The BG/NBD + Gamma-Gamma fit on %s customers" % format(n, ","))
        lines.append("")
        lines.append("`crm-ltv --fit --json` on a summary drawn from the two models "
                     "with CDNOW's parameters (`bench/gen --bgnbd`, whole days, "
                     "39 weeks): median %.3f s of %d runs, peak %.0f MB." % (
                         med, a.runs, rss / 1024))
        lines.append("")
        lines.append("| parameter | drawn with | fitted |")
        lines.append("|---|---:|---:|")
        for name, true, got in [("r", 0.243, bg["r"]), ("alpha", 4.414, bg["alpha"]),
                                ("a", 0.793, bg["a"]), ("b", 2.426, bg["b"]),
                                ("p", 6.25, gg["p"]), ("q", 3.74, gg["q"]),
                                ("gamma", 15.44, gg["gamma"])]:
            lines.append("| %s | %g | %.4f |" % (name, true, got))
        lines.append("")
    with open(a.results, "w") as f:
        f.write("\n".join(lines))
    print("wrote %s" % a.results)


if __name__ == "__main__":
    main()
