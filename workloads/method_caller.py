"""ftscalingbench's method_caller, its loop body verbatim: operator.methodcaller("append", 1) applied to a new list per iteration.

One methodcaller made per task (the model's: of a list method, append or pop), then blocks <<
difficulty iterations, each an empty list made (BUILD_LIST 0) and the caller called on it,
which appends the caller's 1 (a shared small int) under the list's lock without a GIL. The list
of the iteration before is dropped by the store. ftscalingbench's task returns nothing; this one
returns seed + the last list's item + the last i, so the loop and the call are checked.
"""
from operator import methodcaller


def task(seed, difficulty, blocks):
    mc = methodcaller("append", 1)
    for i in range(blocks << difficulty):
        obj = []
        mc(obj)
    return seed + obj[0] + i
