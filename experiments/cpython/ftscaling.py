"""The ftscaling workloads in plain Python, after CPython's Tools/ftscalingbench: the same loops
as gillab's interpreter programs (interpreter/workloads.cpp), so both give the same answers.
Each runs `blocks << difficulty` iterations over an accumulator that starts at the seed.
"""
K = 0x2545F49
M = 0xFFFFFFFF


def step(x):
    return (x * 0x2545F49 + 7) & 0xFFFFFFFF


def pyfunction(seed, difficulty, blocks):
    """A module-level function called in the loop."""
    acc, i, n = seed, 0, blocks << difficulty
    while i < n:
        acc = step(acc)
        i = i + 1
    return acc


def module_function(seed, difficulty, blocks):
    """A module global read in the loop."""
    acc, i, n = seed, 0, blocks << difficulty
    while i < n:
        acc = (acc * K + i) & 0xFFFFFFFF
        i = i + 1
    return acc


def mult_constant(seed, difficulty, blocks):
    """Arithmetic on a code constant."""
    acc, i, n = seed, 0, blocks << difficulty
    while i < n:
        acc = (acc * 0x2545F49 + i) & 0xFFFFFFFF
        i = i + 1
    return acc


def create_pyobject(seed, difficulty, blocks):
    """An object (a tuple) made and read back per iteration."""
    acc, i, n = seed, 0, blocks << difficulty
    while i < n:
        t = (acc, i)
        acc = (t[0] * 0x2545F49 + t[1]) & 0xFFFFFFFF
        i = i + 1
    return acc


WORKLOADS = {f.__name__: f for f in (pyfunction, module_function, mult_constant, create_pyobject)}
