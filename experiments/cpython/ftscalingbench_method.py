#!/usr/bin/env python3
"""ftscalingbench's own method on a workload file, beside the suite's CPython figure for it.

CPython's Tools/ftscalingbench times one call of a loop on the main thread (T1), then one call in
each of N worker threads at once, the workers started beforehand, pinned one per core and fed
through queues (TN), and prints T1 * N / TN: one sample of each. `--sample` does exactly that for
task(seed, difficulty, blocks) of a workload file, `--samples` times (one sample is noisy; the
spread of many is what an interval from it would be), inside the Python under test:

    build/cpython/3.13.15t/bin/python3 experiments/cpython/ftscalingbench_method.py --sample \
        --workload-file workloads/pyfunction.py --difficulty 12 --blocks 160 --threads 2 --samples 15

Without --sample it drives: for each Python and each workload in a summary-ftscaling.csv, it runs
the samples and writes a Markdown table of ftscalingbench's figure (median and range of the
samples) beside the suite's (median and 95% interval at the same worker count), and says which
agree (the samples' median inside the suite's interval):

    python3 experiments/cpython/ftscalingbench_method.py --summary results/<machine>/summary-ftscaling.csv \
        --python "build/cpython/*/bin/python3" --out results/FTSCALING-METHOD-<machine>.md

The work per call is the suite's work per worker (tasks / workers tasks of the config's size), so
the two methods time the same loops on the same share. Standard library only.
"""
import argparse
import csv
import glob
import importlib.util
import json
import os
import queue
import statistics
import subprocess
import sys
import threading
import time


def load_task(path):
    spec = importlib.util.spec_from_file_location("gillab_workload", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # as an import does: a file may look itself up (sys.modules[__name__])
    spec.loader.exec_module(module)
    return module.task


def worker(cpu, inq, outq):
    if cpu is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, (cpu,))  # this thread only, as ftscalingbench's thread_run does
    while True:
        func = inq.get()
        if func is None:
            return
        func()
        outq.put(None)


def sample(args):
    """One process: the threads once, then --samples of (T1, TN), as ftscalingbench's benchmark()."""
    task = load_task(args.workload_file)
    per_call = args.tasks_per_call

    def func():
        for k in range(per_call):
            task(args.seed + k, args.difficulty, args.blocks)

    cpus = sorted(os.sched_getaffinity(0))[: args.threads] if hasattr(os, "sched_getaffinity") else []
    cpus += [None] * (args.threads - len(cpus))
    ins, outs = [queue.Queue() for _ in cpus], [queue.Queue() for _ in cpus]
    threads = [threading.Thread(target=worker, args=(c, i, o), daemon=True) for c, i, o in zip(cpus, ins, outs)]
    for t in threads:
        t.start()
    out = []
    for _ in range(args.samples):
        t0 = time.perf_counter_ns()
        func()
        t1 = time.perf_counter_ns() - t0
        t0 = time.perf_counter_ns()
        for q in ins:
            q.put(func)
        for q in outs:
            q.get()
        tn = time.perf_counter_ns() - t0
        out.append({"t1_s": t1 / 1e9, "tn_s": tn / 1e9, "speedup": t1 * len(threads) / tn})
    for q in ins:
        q.put(None)
    gil = sys._is_gil_enabled() if hasattr(sys, "_is_gil_enabled") else True
    print(json.dumps({"version": sys.version.split()[0], "gil_enabled": gil, "threads": len(threads), "samples": out}))


def suite_rows(summary):
    """The suite's CPython threads rows, by (python, workload): its speedup at the most workers."""
    rows = {}
    with open(summary, newline="") as f:
        for r in csv.DictReader(f):
            if r["implementation"] != "cpython" or r["strategy"] != "threads" or not r["speedup_median"]:
                continue
            key = (r["python"], r["workload"])
            if key not in rows or int(r["workers"]) > int(rows[key]["workers"]):
                rows[key] = r
    return rows


def run_samples(python, workload, row, manifest, samples, limit_s):
    workers = int(row["workers"])
    per_call = max(1, int(row["tasks"]) // workers)
    argv = [python, os.path.abspath(__file__), "--sample", "--workload-file", workload, "--threads", str(workers),
            "--difficulty", str(manifest["difficulty"]), "--blocks", str(manifest["blocks"]),
            "--tasks-per-call", str(per_call), "--samples", str(samples)]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=limit_s)
    if done.returncode != 0:
        raise SystemExit("ftscalingbench_method.py: %s on %s failed: %s" % (python, workload, done.stderr.strip()[-300:]))
    return json.loads(done.stdout)


def median_range(xs):
    xs = sorted(xs)
    return statistics.median(xs), xs[0], xs[-1]


def compare_row(python, label, path, wl, row, params, args, n):
    """One (Python, workload): the warm samples of one process, and the first sample of each of
    --cold-processes fresh ones, beside the suite's interval; counts into n."""
    warm = [x["speedup"] for x in run_samples(python, path, row, params, args.samples, args.limit_s)["samples"]]
    cold = [run_samples(python, path, row, params, 1, args.limit_s)["samples"][0]["speedup"]
            for _ in range(args.cold_processes)]
    lo, hi = float(row["speedup_ci_low"]), float(row["speedup_ci_high"])
    (med, wlo, whi), (cmed, clo, chi) = median_range(warm), median_range(cold)
    n["total"] += 1
    n["agree"] += lo <= med <= hi
    n["below"] += med < lo
    n["cold_agree"] += lo <= cmed <= hi
    return "| %s | %s | %s | %.2f [%.2f, %.2f] | %.2f [%.2f, %.2f] | %s | %.2f [%.2f, %.2f] | %s |" % (
        wl, label, row["workers"], float(row["speedup_median"]), lo, hi, med, wlo, whi,
        "yes" if lo <= med <= hi else "no", cmed, clo, chi, "yes" if lo <= cmed <= hi else "no")


def workload_file(name, root):
    return name if name.endswith(".py") else os.path.join(root, "workloads", name + ".py")


def drive(args):
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    manifest_path = os.path.join(os.path.dirname(args.summary), "ftscaling.json")
    with open(manifest_path) as f:
        manifest = json.load(f)
    params = manifest["results"]["workload"]  # difficulty and blocks, as the run had them
    rows = suite_rows(args.summary)
    pythons = {}
    for p in sorted(set(sum((glob.glob(g) or [g] for g in args.python), []))):
        probe = subprocess.run([p, "-c", "import platform, sysconfig; print(platform.python_version() + "
                                "('t' if sysconfig.get_config_var('Py_GIL_DISABLED') else ''))"],
                               capture_output=True, text=True, timeout=30)
        if probe.returncode == 0:
            pythons[probe.stdout.strip()] = p
    lines = ["# ftscalingbench's method beside the suite's, on CPython (%s)" % manifest["machine"].get("name", "?"), "",
             "Written by `make ftscaling-method` (`gillab run configs/ftscaling.yaml --set implementation=cpython`, "
             "then `python3 experiments/cpython/ftscalingbench_method.py --summary %s --samples %d --cold-processes %d`)."
             % (args.summary, args.samples, args.cold_processes),
             "Suite: CPython threads over its own serial run, median and 95%% interval (%s, %s)."
             % (manifest["machine"].get("cpu_model", "?"), manifest.get("date", "?")),
             "ftscalingbench: T1 x N / TN, one sample each, %d samples in one process: their median "
             "[min, max]. Agree: the samples' median lies inside the suite's interval." % args.samples,
             "First sample: the same method's first sample in each of %d fresh processes, median [min, max]: "
             "a fresh process with fresh threads, as each of the suite's runs is (its later samples reuse "
             "threads that have run the loop)." % args.cold_processes, "",
             "| workload | CPython | workers | suite | ftscalingbench's method | agree | first sample | agree |",
             "|---|---|---|---|---|---|---|---|"]
    n = {"total": 0, "agree": 0, "below": 0, "cold_agree": 0}
    for (label, wl), row in sorted(rows.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        if label in pythons:
            lines.append(compare_row(pythons[label], label, workload_file(wl, root), wl, row, params, args, n))
            print(lines[-1], flush=True)
    total = n["total"]
    lines += ["", "%d of %d agree. Of the %d that do not, ftscalingbench's method reads below the suite's interval in %d and "
              "above it in %d. Its first sample agrees in %d of %d." % (
                  n["agree"], total, total - n["agree"], n["below"], total - n["agree"] - n["below"], n["cold_agree"], total)
              if total else "No CPython rows in the summary: run it with make cpython's builds."]
    text = "\n".join(lines) + "\n"
    if args.out:
        with open(args.out + ".tmp", "w") as f:
            f.write(text)
        os.replace(args.out + ".tmp", args.out)
    else:
        sys.stdout.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sample", action="store_true", help="take the samples in this Python")
    ap.add_argument("--workload-file")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--difficulty", type=int, default=12)
    ap.add_argument("--blocks", type=int, default=80)
    ap.add_argument("--tasks-per-call", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--samples", type=int, default=15)
    ap.add_argument("--cold-processes", type=int, default=5, help="fresh processes whose first sample is kept")
    ap.add_argument("--summary", help="a summary-ftscaling.csv (its ftscaling.json beside it)")
    ap.add_argument("--python", action="append", default=[], help="a Python (globs allowed), repeatable")
    ap.add_argument("--out", help="the Markdown file to write (else stdout)")
    ap.add_argument("--limit-s", type=float, default=600)
    args = ap.parse_args()
    if args.sample:
        sample(args)
    elif args.summary:
        drive(args)
    else:
        ap.error("give --sample (in the Python under test) or --summary")


if __name__ == "__main__":
    main()
