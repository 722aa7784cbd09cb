"""ftscalingbench's mult_constant, its loop body verbatim: a float multiplied by a float constant.

blocks << difficulty iterations, each making a new float (CPython takes it from its float
freelist, the model from the thread's free list). 1.01 ** n overflows to inf past n = 71,333,
in CPython as in the model (a float * never raises), so the answer is x while it is finite,
and seed + the last i once it is not: either way a count the loop must get right. A float answer
is checked to its last bit.
"""


def task(seed, difficulty, blocks):
    x = 1.0
    for i in range(blocks << difficulty):
        x *= 1.01
    if x < 1e300:
        return x
    return seed + i
