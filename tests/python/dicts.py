"""Python's dict and round() rules as the model keeps them, one rule per bit of the answer.

Each bit is 1 where the rule holds; the answer is pinned from CPython 3.11 in
tests/test_workloads.cpp (Workloads.DictsFollowPythonsRules), and the model must give the same
under every policy. The dicts here outgrow their first table (8 slots) several times.
"""
SHARED = dict.fromkeys(range(20), 3)
EMPTY = {}


def task(seed, difficulty, blocks):
    bits = 0
    d = {"key": "value"}
    bits = bits | (d["key"] == "value")
    d["key"] = seed
    bits = bits | ((d["key"] == seed) << 1)
    k = 0
    while k < 100:
        d[k * 7] = k
        k = k + 1
    ok = 1
    k = 0
    while k < 100:
        if d[k * 7] != k:
            ok = 0
        k = k + 1
    bits = bits | (ok << 2)
    bits = bits | ((d["key"] == seed) << 3)
    e = {-1: 5, seed: 6}
    bits = bits | ((e[-1] + e[seed] == 11) << 4)
    e[-1] = e[-1] + 1
    bits = bits | ((e[-1] == 6) << 5)
    bits = bits | ((SHARED[19] == 3) << 6)
    SHARED[19] = seed
    bits = bits | ((SHARED[19] == seed) << 7)
    SHARED[19] = 3
    bits = bits | ((not EMPTY) << 8)
    bits = bits | ((not not d) << 9)
    big = 1 << 40
    f = {big: 1}
    f[big + 0] = 2
    bits = bits | ((f[big] == 2) << 10)
    g = {seed: 1, seed: 2}
    bits = bits | ((g[seed] == 2) << 11)
    s = "a string"
    h = {s: 1}
    bits = bits | ((h["a string"] == 1) << 12)
    bits = bits | ((round(2.5) == 2) << 13)
    bits = bits | ((round(3.5) == 4) << 14)
    bits = bits | ((round(-0.5) == 0) << 15)
    bits = bits | ((round(-1.5) == -2) << 16)
    bits = bits | ((round(0.49999999999999994) == 0) << 17)
    bits = bits | ((round(seed) == seed) << 18)
    bits = bits | ((round(1e15 + 0.5) == 1000000000000000) << 19)
    return bits
