#!/usr/bin/env python3
"""run_tasks.py's threads mode times every task: the clock starts before any worker runs one.

The main thread is made slow exactly where a scheduler can leave it aside, at its clock read:
the first perf_counter() call in the main thread sleeps 50 ms. Were the clock read after the
workers are let go, they would run their tasks during that sleep and the run would read far
shorter than its longest task (the bug: a 36 ms run read as 21 us on a free-threaded build).
Exit 0 when every run's wall covers its tasks, 1 otherwise."""
import os
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "experiments", "cpython"))
import run_tasks  # noqa: E402

TASK_S = 0.02
starts, ends = [], []


def slow_task(args):
    starts.append(time.perf_counter())
    t = time.perf_counter()
    while time.perf_counter() - t < TASK_S:
        pass
    ends.append(time.perf_counter())
    return args[1]


class DelayedClock:
    """time.perf_counter, but the main thread's first read sleeps first."""

    def __init__(self, real):
        self.real, self.delayed = real, False

    def __call__(self):
        if threading.current_thread() is threading.main_thread() and not self.delayed:
            self.delayed = True
            time.sleep(0.05)
        return self.real()


def main():
    run_tasks.run_task = slow_task
    real = time.perf_counter
    failures = 0
    for workers in (1, 2):
        starts.clear()
        ends.clear()
        run_tasks.time = type(time)("time")  # run_tasks.py's own view of the time module
        run_tasks.time.perf_counter = DelayedClock(real)
        run_tasks.time.process_time = time.process_time
        answers, wall, _ = run_tasks.run_threads([("x", s, 0, 0) for s in (1, 2, 3, 4)], workers)
        span = max(ends) - min(starts)
        if answers != [1, 2, 3, 4] or wall < span:
            print("threads at %d workers: wall %.6f s, but its tasks ran over %.6f s (answers %s)" % (workers, wall, span, answers))
            failures += 1
    run_tasks.time = time
    failures += pinning_failures()
    return 1 if failures else 0


def pinning_failures():
    """--cpus pins worker i's thread to the i-th CPU (and serial's main thread to the first)."""
    if not hasattr(os, "sched_getaffinity"):
        return 0
    cpus = sorted(os.sched_getaffinity(0))
    want = [cpus[-1], cpus[0]]  # reversed, so that an unpinned worker cannot pass by chance on 2+ CPUs
    seen = {}
    def task(args):  # long enough that both workers take one
        seen.setdefault(threading.get_ident(), os.sched_getaffinity(0))
        time.sleep(0.05)
        return args[1]

    run_tasks.run_task = task
    run_tasks.run_threads([("x", s, 0, 0) for s in (1, 2, 3, 4)], 2, want)
    main_before = os.sched_getaffinity(0)
    got = sorted(tuple(sorted(a)) for a in seen.values())
    failures = 0
    if len(cpus) > 1 and got != sorted([(want[0],), (want[1],)]):
        print("threads with --cpus %s ran on %s" % (want, got))
        failures += 1
    seen.clear()
    t = threading.Thread(target=lambda: run_tasks.run_serial([("x", 1, 0, 0)], [want[0]]))
    t.start()
    t.join()
    if list(seen.values()) != [{want[0]}]:
        print("serial with --cpus %s ran on %s" % (want[0], list(seen.values())))
        failures += 1
    if os.sched_getaffinity(0) != main_before:
        print("pinning a worker moved the main thread")
        failures += 1
    return failures


if __name__ == "__main__":
    sys.exit(main())
