"""gillab's own: gillab_list_shared's loop on one module-level dict that every thread shares.

Each task owns 4 of the dict's 64 int keys (by seed % 16: distinct for up to 16 tasks in a row)
and per iteration stores i under one of them and reads it back, so the answers do not depend on
how the threads interleave. Without a GIL each store and read takes the dict's one lock (PEP
703's per-object locking, as free-threaded CPython's dictobject.c takes it for a store; its read
is lock-free there, locked in the model): the threads never touch each other's entries, yet
serialise on the lock and its cache lines. gillab_dict_private is the same loop on a dict of the
task's own. Each task puts its values back to 0, so a run drops every reference it took.
"""
SHARED = dict.fromkeys(range(64), 0)


def task(seed, difficulty, blocks):
    d = SHARED
    base = (seed % 16) * 4
    accu = seed
    for i in range(blocks << difficulty):
        d[base + (i & 3)] = i
        accu = accu + d[base + (i & 3)]
    for k in range(4):
        d[base + k] = 0
    return accu
