"""ftscalingbench's object_lookup_special, its loop body verbatim: round() of a float per iteration.

blocks << difficulty iterations, each a true division (a new float) and a call of the builtin
round, which in CPython looks up the float's __round__ (_PyObject_LookupSpecial, the lookup the
loop is named for) and returns an int. The model's round is a builtin of its own that rounds
halves to even, as float.__round__ does. ftscalingbench's task returns nothing; this one returns
seed + the last i + round(the last quotient), 1, so the count and the rounding are checked.
"""


def task(seed, difficulty, blocks):
    N = blocks << difficulty
    for i in range(N):
        round(i / N)
    return seed + i + round(i / N)
