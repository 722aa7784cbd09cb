#!/usr/bin/env python3
"""Runs a workload file's tasks in real CPython, the essay's way: serially, in N threads
(threading), or in N processes (multiprocessing), and prints one JSON object with the answers and
the times, for gillab's harness to put beside its own rows (implementation = cpython). The file
is the one the model runs (workloads/*.py): its task(seed, difficulty, blocks), imported as it is.

    python3 run_tasks.py --mode threads --workers 4 --workload-file workloads/pow.py \
        --seeds 1,2,3,4 --difficulty 8 --blocks 64 [--switch-interval-us 5000] [--cpus 0,1,2,3]
    python3 run_tasks.py --probe      # only the interpreter's version and build

Worker start-up is not timed, as in gillab: threads wait at a barrier, and the process pool is
started (and its workers warmed up) before the clock starts. --cpus pins as gillab pins its own
workers: worker i's thread to the i-th CPU of the list (serial: the main thread to the first),
as ftscalingbench pins its threads; a pool's processes are not pinned. Standard library only.
"""
# Each run is a fresh interpreter, so its start-up is paid once per run: only what every mode
# needs is imported here (argparse, json, multiprocessing and platform pull in re, enum and
# more: about 80 ms a run on the free-threaded 3.13 build), the rest where it is used.
import importlib.util
import os
import struct
import sys
import time

_TASKS = {}  # path -> its task function, loaded once per process (a pool's workers load their own)


def task_of(path):
    if path not in _TASKS:
        spec = importlib.util.spec_from_file_location("gillab_workload", path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # as an import does: a file may look itself up (sys.modules[__name__])
        spec.loader.exec_module(module)
        _TASKS[path] = module.task
    return _TASKS[path]


def probe():
    import platform
    import sysconfig

    gil_disabled_build = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
    gil_enabled = sys._is_gil_enabled() if hasattr(sys, "_is_gil_enabled") else True
    return {
        "version": platform.python_version(),
        "implementation": platform.python_implementation(),
        "executable": sys.executable,
        "build": "free-threaded" if gil_disabled_build else "gil",
        "gil_enabled_at_run_time": gil_enabled,
        "compiler": platform.python_compiler(),
        "switch_interval_s": sys.getswitchinterval(),
    }


def answer_of(v):
    """A float answer as its IEEE 754 bits (a signed 64-bit int), as the model gives its own: the
    two must agree to the last bit."""
    return struct.unpack("<q", struct.pack("<d", v))[0] if isinstance(v, float) else v


def run_task(args):
    path, seed, difficulty, blocks = args
    return answer_of(task_of(path)(seed, difficulty, blocks))


def pin_to(cpus, i):
    """This thread (Linux: a thread's affinity is its own) to the i-th CPU of the list. Returns
    the one CPU the thread may then run on, or -1 where it may run on several: what the harness
    records as the worker's bound_pus."""
    if cpus:
        os.sched_setaffinity(0, {cpus[i % len(cpus)]})
    now = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else ()
    return next(iter(now)) if len(now) == 1 else -1


def run_serial(tasks, cpus=(), bound=None):
    where = pin_to(cpus, 0)
    if bound is not None:
        bound[0] = where
    t0, c0 = time.perf_counter(), time.process_time()
    answers = [run_task(t) for t in tasks]
    return answers, time.perf_counter() - t0, time.process_time() - c0


def run_threads(tasks, workers, cpus=(), bound=None):
    """The clock starts before the workers are let go, as gillab's own thread runner does: taken
    after the release, a main thread that the scheduler leaves aside (two workers on two cores
    of a free-threaded build) read a run of 36 ms as 21 us."""
    import threading

    answers = [None] * len(tasks)
    next_task = iter(range(len(tasks)))
    lock = threading.Lock()
    ready = threading.Barrier(workers + 1)  # every worker started: thread start-up is not timed
    go = threading.Event()

    def worker(k):
        where = pin_to(cpus, k)  # without it two workers could wait on one core (wake-affine) for a while
        if bound is not None:
            bound[k] = where
        ready.wait()
        go.wait()
        while True:
            with lock:
                i = next(next_task, None)
            if i is None:
                return
            answers[i] = run_task(tasks[i])

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(workers)]
    for t in threads:
        t.start()
    ready.wait()
    c0 = time.process_time()
    t0 = time.perf_counter()
    go.set()
    for t in threads:
        t.join()
    return answers, time.perf_counter() - t0, time.process_time() - c0


def warm(_):
    return os.getpid()


def run_processes(tasks, workers):
    import multiprocessing

    ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with ctx.Pool(workers) as pool:
        pool.map(warm, range(workers * 4), chunksize=1)
        before = os.times()
        t0 = time.perf_counter()
        answers = pool.map(run_task, tasks, chunksize=1)
        wall = time.perf_counter() - t0
        after = os.times()
    # The pool's workers are children: their CPU time shows once they have been reaped.
    cpu = (after.user - before.user) + (after.system - before.system)
    children = os.times()
    cpu += (children.children_user - before.children_user) + (children.children_system - before.children_system)
    return answers, wall, cpu


# option -> its type (None: a flag); what argparse would give, without its imports.
OPTIONS = {"--probe": None, "--mode": str, "--workers": int, "--seeds": str, "--difficulty": int, "--blocks": int,
           "--workload-file": str, "--switch-interval-us": int, "--cpus": str}


def usage_error(message):
    sys.stderr.write("run_tasks.py: error: %s\n" % message)
    sys.exit(2)


def parse(argv):
    a = {"probe": False, "mode": None, "workers": 1, "seeds": "", "difficulty": 8, "blocks": 64, "workload_file": None,
         "switch_interval_us": 0, "cpus": ""}
    i = 0
    while i < len(argv):
        opt, _, inline = argv[i].partition("=")
        if opt in ("-h", "--help"):
            print(__doc__)
            sys.exit(0)
        if opt not in OPTIONS:
            usage_error("unrecognized argument: %s" % argv[i])
        kind = OPTIONS[opt]
        if kind is None:
            a["probe"], i = True, i + 1
            continue
        if not inline and i + 1 >= len(argv):
            usage_error("argument %s: expected one argument" % opt)
        text = inline or argv[i + 1]
        try:
            a[opt[2:].replace("-", "_")] = kind(text)
        except ValueError:
            usage_error("argument %s: invalid int value: %r" % (opt, text))
        i += 1 if inline else 2
    if a["mode"] not in (None, "serial", "threads", "processes"):
        usage_error("argument --mode: invalid choice: %r (choose from serial, threads, processes)" % a["mode"])
    return a


def result_json(answers, wall, cpu, bound):
    """The run's line; json (and the re it imports) only where an answer is not a plain int, so
    that the harness names the wrong answer."""
    if all(type(x) is int for x in answers):
        return '{"answers": [%s], "wall_s": %r, "cpu_s": %r, "bound_cpus": [%s]}' % (
            ", ".join(map(str, answers)), wall, cpu, ", ".join(map(str, bound)))
    import json

    return json.dumps({"answers": answers, "wall_s": wall, "cpu_s": cpu, "bound_cpus": bound})


def main(argv):
    a = parse(argv)
    if a["probe"]:
        import json

        print(json.dumps({"python": probe()}))
        return
    if not a["mode"] or not a["seeds"] or not a["workload_file"]:
        usage_error("--mode, --workload-file and --seeds are required")
    task_of(a["workload_file"])  # imported before the clock starts, and before a pool forks
    if a["switch_interval_us"]:
        sys.setswitchinterval(a["switch_interval_us"] / 1e6)
    tasks = [(a["workload_file"], int(s), a["difficulty"], a["blocks"]) for s in a["seeds"].split(",")]
    try:
        cpus = [int(c) for c in a["cpus"].split(",")] if a["cpus"] else []
    except ValueError:
        usage_error("argument --cpus: expected CPU numbers separated by commas: %r" % a["cpus"])
    if a["mode"] == "serial":
        bound = [-1]
        answers, wall, cpu = run_serial(tasks, cpus, bound)
    elif a["mode"] == "threads":
        bound = [-1] * a["workers"]
        answers, wall, cpu = run_threads(tasks, a["workers"], cpus, bound)
    else:
        bound = [-1] * a["workers"]  # a pool's processes are not pinned
        answers, wall, cpu = run_processes(tasks, a["workers"])
    print(result_json(answers, wall, cpu, bound))


if __name__ == "__main__":
    main(sys.argv[1:])
