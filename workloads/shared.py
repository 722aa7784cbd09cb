"""pow with 5 of mix()'s 9 constant loads reading module globals instead.

Module globals are ordinary shared objects: every thread increfs and decrefs them, PEP 683 does
not make them immortal (3.14t defers them), so their refcount cache lines bounce between cores.
The answers are pow's. shared_all.py reads all nine.
"""
MASK32 = 0xFFFFFFFF
ROUNDS = 3
MUL = 0x45D9F3B
SHIFT15 = 15
ONE = 1


def mix(seed, nonce):
    h = (seed * 0x9E3779B1 + nonce) & MASK32
    r = 0
    while r < ROUNDS:
        h = h ^ (h >> 16)
        h = (h * MUL) & 0xFFFFFFFF
        h = h ^ (h >> SHIFT15)
        r = r + ONE
    return h


def task(seed, difficulty, blocks):
    mask = (1 << difficulty) - 1
    s = seed
    b = 0
    while b < blocks:
        nonce = 0
        while mix(s, nonce) & mask != 0:
            nonce = nonce + 1
        s = mix(s, nonce) >> 1
        b = b + 1
    return s
