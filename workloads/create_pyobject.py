"""ftscalingbench's create_pyobject, its loop body verbatim: an instance of an empty class made per iteration.

blocks << difficulty iterations, each a call of a module-level class (LOAD_GLOBAL, CALL) that
makes an instance and drops the one before. An instance holds a reference to its class, as a
heap type's instances do in CPython: without a GIL that count is shared by every thread (3.13t's
contention; 3.14t counts a heap type's references per thread, the model's deferred objects).
ftscalingbench's task returns nothing; this one returns seed + the last i, so the loop is checked.
"""


class MyObject:
    pass


def task(seed, difficulty, blocks):
    for i in range(blocks << difficulty):
        o = MyObject()
    return seed + i
