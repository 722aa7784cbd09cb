"""gillab's own: every thread stores into, and reads back from, one module-level list they all share.

Each task owns 4 of the list's 64 slots (by seed % 16: distinct for up to 16 tasks in a row) and
per iteration stores i in one of them and reads it back, so the answers do not depend on how the
threads interleave. Without a GIL each store and read takes the list's one lock: the threads never
touch each other's items, yet serialise on the lock and its cache line (PEP 703's per-object
locking, measured). gillab_list_private is the same loop on a list of the task's own. Each task
puts its slots back to 0 at the end, so a run drops every reference it took.
"""
SHARED = [0] * 64


def task(seed, difficulty, blocks):
    lst = SHARED
    base = (seed % 16) * 4
    accu = seed
    for i in range(blocks << difficulty):
        lst[base + (i & 3)] = i
        accu = accu + lst[base + (i & 3)]
    for k in range(4):
        lst[base + k] = 0
    return accu
