"""ftscalingbench's pymethod, its class and loop verbatim: a Python method called per iteration.

A Counter made per task (its __init__ stores self.i), then blocks << difficulty calls of its
method (LOAD_METHOD, CALL: 3.11's unbound-method form), each an attribute load, an add and an
attribute store on the instance's own dict (under its lock without a GIL, uncontended: no other
thread sees the instance). Returns c.i, as ftscalingbench's task does, plus the seed.
"""


class Counter:
    def __init__(self):
        self.i = 0

    def next_number(self):
        self.i += 1
        return self.i


def task(seed, difficulty, blocks):
    c = Counter()
    for i in range(blocks << difficulty):
        c.next_number()
    return seed + c.i
