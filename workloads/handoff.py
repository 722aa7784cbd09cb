"""pow, and after each block the worker swaps a fresh (s, b) tuple into a shared mailbox.

What it takes out (another worker's tuple, mostly) it drops: objects made by one thread and
dropped by another, which biased counting must queue to their owner (PEP 703). `old, mailbox =
mailbox, new` is one atomic exchange in the model. Every task ends by putting None back, so the
last swap of all leaves the mailbox as it began. The answers are pow's.
"""
mailbox = None


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
    global mailbox
    mask = (1 << difficulty) - 1
    s = seed
    b = 0
    while b < blocks:
        nonce = 0
        while mix(s, nonce) & mask != 0:
            nonce = nonce + 1
        s = mix(s, nonce) >> 1
        old, mailbox = mailbox, (s, b)
        b = b + 1
    old, mailbox = mailbox, None
    return s
