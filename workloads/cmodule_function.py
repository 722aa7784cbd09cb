"""ftscalingbench's cmodule_function, its loop body verbatim: a C function of a module (math.cos) called per iteration.

blocks << difficulty iterations, each a true division (a new float), a module attribute load
(3.11: LOAD_GLOBAL math, LOAD_ATTR cos) and a call of the builtin, whose float is dropped. The
model's math has cos alone, computed by glibc as CPython's is. ftscalingbench's task returns
nothing; this one returns seed + the last i, so the loop's count is checked.
"""
import math


def task(seed, difficulty, blocks):
    N = blocks << difficulty
    for i in range(N):
        math.cos(i / N)
    return seed + i
