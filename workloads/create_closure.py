"""ftscalingbench's create_closure, its loop body verbatim: a nested function made and called per iteration.

blocks << difficulty iterations; each makes a new function object (MAKE_FUNCTION: CPython counts
a nested function's references normally, deferring only top-level functions' in 3.13t), calls it
once and drops it. ftscalingbench's task returns nothing; this one returns the last function's
answer for seed + the last i, so the loop's count is checked.
"""


def task(seed, difficulty, blocks):
    for i in range(blocks << difficulty):
        def foo(x):
            return x
        foo(i)
    return foo(seed + i)
