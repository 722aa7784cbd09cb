"""ftscalingbench's pyfunction, its loop body verbatim: a module-level function called per iteration.

blocks << difficulty iterations; the accumulator starts at the seed (ftscalingbench's at 0), so
the answer is blocks << difficulty, the last next_number(i).
"""


def next_number(i):
    return i + 1


def task(seed, difficulty, blocks):
    accu = seed
    for i in range(blocks << difficulty):
        accu = next_number(i)
    return accu
