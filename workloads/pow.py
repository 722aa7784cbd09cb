"""The essay's really_really_slow_func as a chain of proofs of work.

A task with seed s runs `blocks` blocks; each finds the first nonce whose mix(s, nonce) has
`difficulty` low zero bits, then chains s = mix(s, nonce) >> 1. The answer is the final s. Many
small proofs make equal-sized tasks (one proof's cost is geometric, so one-proof tasks would be
too uneven to measure a speedup with). Every product stays below 2**63: seeds are < 2**31.
"""


def mix(seed, nonce):
    h = (seed * 0x9E3779B1 + nonce) & 0xFFFFFFFF
    r = 0
    while r < 3:
        h = h ^ (h >> 16)
        h = (h * 0x45D9F3B) & 0xFFFFFFFF
        h = h ^ (h >> 15)
        r = r + 1
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
