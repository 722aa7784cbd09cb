"""pow with every one of mix()'s constant loads reading a module global (shared.py reads 5 of 9).

The most refcount traffic on shared objects the pow loop can make: the cas experiment's load.
The answers are pow's.
"""
GOLDEN = 0x9E3779B1
MASK32 = 0xFFFFFFFF
ZERO = 0
ROUNDS = 3
SHIFT16 = 16
MUL = 0x45D9F3B
SHIFT15 = 15
ONE = 1


def mix(seed, nonce):
    h = (seed * GOLDEN + nonce) & MASK32
    r = ZERO
    while r < ROUNDS:
        h = h ^ (h >> SHIFT16)
        h = (h * MUL) & MASK32
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
