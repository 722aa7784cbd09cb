"""ftscalingbench's load_string_const, its loop body verbatim: an int compared with a str constant per iteration.

blocks << difficulty iterations; the accumulator starts at the seed (ftscalingbench's at 0), so
the answer is seed + blocks << difficulty. The str is one shared, interned constant: free-threaded
CPython makes it immortal, and so does the model where its objects can be.
"""


def task(seed, difficulty, blocks):
    accu = seed
    for i in range(blocks << difficulty):
        if i == 'a string':
            accu += 7
        else:
            accu += 1
    return accu
