"""gillab's own: gillab_list_shared's loop on a list of the task's own, which no other thread sees.

The same stores and reads, each under the list's lock as in gillab_list_shared, but no two
threads ever want the same lock or cache line: what per-object locking costs when nothing is
shared. Its answers are gillab_list_shared's.
"""


def task(seed, difficulty, blocks):
    lst = [0] * 64
    base = (seed % 16) * 4
    accu = seed
    for i in range(blocks << difficulty):
        lst[base + (i & 3)] = i
        accu = accu + lst[base + (i & 3)]
    for k in range(4):
        lst[base + k] = 0
    return accu
