"""gillab's own loop after ftscalingbench's module_function: a module global read per iteration.

blocks << difficulty iterations over an accumulator that starts at the seed; the answer is the
accumulator. (ftscalingbench's own body calls a function through a module attribute, which the
model has no objects for.)
"""
K = 0x2545F49


def task(seed, difficulty, blocks):
    acc = seed
    i = 0
    n = blocks << difficulty
    while i < n:
        acc = (acc * K + i) & 0xFFFFFFFF
        i = i + 1
    return acc
