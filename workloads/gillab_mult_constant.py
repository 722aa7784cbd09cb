"""gillab's own loop after ftscalingbench's mult_constant: int arithmetic on a code constant.

blocks << difficulty iterations over an accumulator that starts at the seed; the answer is the
accumulator. (ftscalingbench's own body multiplies a float, which the model does not have.)
"""


def task(seed, difficulty, blocks):
    acc = seed
    i = 0
    n = blocks << difficulty
    while i < n:
        acc = (acc * 0x2545F49 + i) & 0xFFFFFFFF
        i = i + 1
    return acc
