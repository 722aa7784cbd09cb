"""gillab's own loop after ftscalingbench's create_pyobject: a tuple made and read back per iteration.

blocks << difficulty iterations over an accumulator that starts at the seed; the answer is the
accumulator. (ftscalingbench's own body instantiates a class, which the model does not have.)
"""


def task(seed, difficulty, blocks):
    acc = seed
    i = 0
    n = blocks << difficulty
    while i < n:
        t = (acc, i)
        acc = (t[0] * 0x2545F49 + t[1]) & 0xFFFFFFFF
        i = i + 1
    return acc
