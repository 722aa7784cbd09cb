#!/usr/bin/env python3
"""Runs a workload file's tasks in real CPython, the essay's way: serially, in N threads
(threading), or in N processes (multiprocessing), and prints one JSON object with the answers and
the times, for gillab's harness to put beside its own rows (implementation = cpython). The file
is the one the model runs (workloads/*.py): its task(seed, difficulty, blocks), imported as it is.

    python3 run_tasks.py --mode threads --workers 4 --workload-file workloads/pow.py \
        --seeds 1,2,3,4 --difficulty 8 --blocks 64 [--switch-interval-us 5000]
    python3 run_tasks.py --probe      # only the interpreter's version and build

Worker start-up is not timed, as in gillab: threads wait at a barrier, and the process pool is
started (and its workers warmed up) before the clock starts. Standard library only.
"""
import argparse
import importlib.util
import json
import multiprocessing
import os
import platform
import struct
import sys
import sysconfig
import threading
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


def run_serial(tasks):
    t0, c0 = time.perf_counter(), time.process_time()
    answers = [run_task(t) for t in tasks]
    return answers, time.perf_counter() - t0, time.process_time() - c0


def run_threads(tasks, workers):
    answers = [None] * len(tasks)
    next_task = iter(range(len(tasks)))
    lock = threading.Lock()
    start = threading.Barrier(workers + 1)

    def worker():
        start.wait()
        while True:
            with lock:
                i = next(next_task, None)
            if i is None:
                return
            answers[i] = run_task(tasks[i])

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for t in threads:
        t.start()
    c0 = time.process_time()
    start.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    return answers, time.perf_counter() - t0, time.process_time() - c0


def warm(_):
    return os.getpid()


def run_processes(tasks, workers):
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


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--probe", action="store_true")
    p.add_argument("--mode", choices=["serial", "threads", "processes"])
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--seeds", default="")
    p.add_argument("--difficulty", type=int, default=8)
    p.add_argument("--blocks", type=int, default=64)
    p.add_argument("--workload-file", help="the workload's .py file (its task is what runs)")
    p.add_argument("--switch-interval-us", type=int, default=0)
    a = p.parse_args(argv)
    if a.probe:
        print(json.dumps({"python": probe()}))
        return
    if not a.mode or not a.seeds or not a.workload_file:
        p.error("--mode, --workload-file and --seeds are required")
    task_of(a.workload_file)  # imported before the clock starts, and before a pool forks
    if a.switch_interval_us:
        sys.setswitchinterval(a.switch_interval_us / 1e6)
    tasks = [(a.workload_file, int(s), a.difficulty, a.blocks) for s in a.seeds.split(",")]
    if a.mode == "serial":
        answers, wall, cpu = run_serial(tasks)
    elif a.mode == "threads":
        answers, wall, cpu = run_threads(tasks, a.workers)
    else:
        answers, wall, cpu = run_processes(tasks, a.workers)
    print(json.dumps({"answers": answers, "wall_s": wall, "cpu_s": cpu, "python": probe()}))


if __name__ == "__main__":
    main(sys.argv[1:])
