"""ftscalingbench's create_dict, its loop body verbatim: a one-item dict made per iteration.

blocks << difficulty iterations, each a BUILD_MAP of a str key and a str value (3.11 builds a
one-item display with BUILD_MAP 1; the constant strs are interned, shared by every thread) into
a fresh dict that the next iteration's store drops. Free-threaded CPython allocates and frees a
dict per iteration, as the model does. ftscalingbench's task returns nothing; this one returns
seed + the last i + whether the last dict holds its value, so the loop and the dict are checked.
"""


def task(seed, difficulty, blocks):
    for i in range(blocks << difficulty):
        d = {
            "key": "value",
        }
    return seed + i + (d["key"] == "value")
