#!/usr/bin/env python3
"""The pow workload in plain Python: the same algorithm as gillab's interpreter program
(interpreter/workloads.cpp), so that both find the same nonces for the same seeds.

    python3 pow.py --seeds 1,2,3 --difficulty 8 --blocks 64 [--repeat 3]

prints one JSON object: the answers and the seconds each repetition took (interpreter start-up
excluded), so that a harness can time CPython beside gillab on the same work.
"""
import argparse
import json
import sys
import time


def mix(seed, nonce):
    h = (seed * 0x9E3779B1 + nonce) & 0xFFFFFFFF
    r = 0
    while r < 3:
        h = h ^ (h >> 16)
        h = (h * 0x45D9F3B) & 0xFFFFFFFF
        h = h ^ (h >> 15)
        r = r + 1
    return h


def pow_task(seed, difficulty, blocks):
    """The essay's really_really_slow_func: a chain of `blocks` proofs of work."""
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


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seeds", required=True, help="comma list of task seeds")
    p.add_argument("--difficulty", type=int, default=8)
    p.add_argument("--blocks", type=int, default=64)
    p.add_argument("--repeat", type=int, default=1)
    a = p.parse_args(argv)
    seeds = [int(s) for s in a.seeds.split(",")]
    times, answers = [], []
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        answers = [pow_task(s, a.difficulty, a.blocks) for s in seeds]
        times.append(time.perf_counter() - t0)
    json.dump({"answers": answers, "seconds": times, "python": sys.version.split()[0]}, sys.stdout)
    print()


if __name__ == "__main__":
    main(sys.argv[1:])
