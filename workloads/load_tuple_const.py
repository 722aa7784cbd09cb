"""ftscalingbench's load_tuple_const, its loop body verbatim: a tuple constant compared per iteration.

blocks << difficulty iterations; the accumulator starts at the seed (ftscalingbench's at 0), so
the answer is seed + blocks << difficulty.
"""


def task(seed, difficulty, blocks):
    accu = seed
    for i in range(blocks << difficulty):
        if i == (1, 2):
            accu += 7
        else:
            accu += 1
    return accu
