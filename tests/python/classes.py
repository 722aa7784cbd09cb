"""Python's class, instance and method rules as the model keeps them, one rule per bit of the answer.

Each bit is 1 where the rule holds; the answer is pinned from CPython 3.11 in
tests/test_workloads.cpp (Workloads.ClassesFollowPythonsRules), and the model must give the same
under every policy.
"""


class Empty:
    """A docstring, then nothing."""
    pass


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def norm1(self):
        return self.x + self.y

    def scale(self, k):
        self.x = self.x * k
        self.y *= k
        return self

    def twice(self):
        return self.norm1() + self.norm1()


class Box:
    def __init__(self):
        self.items = []
        self.count = 0

    def put(self, v):
        self.items.append(v)
        self.count += 1


class Log:
    def __init__(self):
        self.n = 0

    def __enter__(self):
        self.n = self.n * 10 + 1
        return self.n

    def __exit__(self, exc_type, exc_value, traceback):
        self.n = self.n * 10 + 2 + (exc_type == None) + (traceback == None)


def task(seed, difficulty, blocks):
    bits = 0
    p = Point(seed, 2)
    bits = bits | (p.x == seed)
    bits = bits | ((p.norm1() == seed + 2) << 1)
    q = p.scale(3)
    bits = bits | ((q.x == 3 * seed) << 2)
    bits = bits | ((q.y == 6) << 3)
    bits = bits | ((p.twice() == 2 * (3 * seed + 6)) << 4)
    p.x = 1.5
    bits = bits | ((p.norm1() == 7.5) << 5)
    e = Empty()
    bits = bits | ((not not e) << 6)
    e.tag = "a string"
    bits = bits | ((e.tag == "a string") << 7)
    b = Box()
    for i in range(10):
        b.put(i * i)
    bits = bits | ((b.count == 10) << 8)
    bits = bits | ((b.items[9] == 81) << 9)
    r = Point(Point(1, 2), 3)
    bits = bits | ((r.x.norm1() == 3) << 10)
    o = Point(0, 0)
    o.x = o
    o.x = 5
    bits = bits | ((o.x == 5) << 11)
    lg = Log()
    with lg as v:
        lg.n = lg.n * 10 + 3
    bits = bits | ((lg.n == 134) << 12)  # __enter__, the body, __exit__(None, None, None), in order
    bits = bits | ((v == 1) << 13)  # as: __enter__'s result
    return bits
