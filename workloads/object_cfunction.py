"""ftscalingbench's object_cfunction, its loop body verbatim: a list's pop(0) and append, and a read of its middle.

blocks << difficulty iterations on a list of 100 items that the task makes for itself, as
ftscalingbench's; the accumulator starts at the seed (ftscalingbench's at 0). Free-threaded
CPython takes the list's own lock for the pop and the append (uncontended: no other thread sees
the list); the model takes its per-list lock for all three (interpreter/container_lock.hpp).
"""


def task(seed, difficulty, blocks):
    accu = seed
    tab = [1] * 100
    for i in range(blocks << difficulty):
        tab.pop(0)
        tab.append(i)
        accu += tab[50]
    return accu
