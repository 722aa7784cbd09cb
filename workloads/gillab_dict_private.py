"""gillab's own: gillab_dict_shared's loop on a dict of the task's own, which no other thread sees.

The same stores and reads, each under the dict's lock as in gillab_dict_shared, but no two
threads ever want the same lock or cache line: what per-object locking costs when nothing is
shared. Its answers are gillab_dict_shared's (and gillab_list_shared's).
"""


def task(seed, difficulty, blocks):
    d = {}
    for k in range(64):
        d[k] = 0
    base = (seed % 16) * 4
    accu = seed
    for i in range(blocks << difficulty):
        d[base + (i & 3)] = i
        accu = accu + d[base + (i & 3)]
    for k in range(4):
        d[base + k] = 0
    return accu
