"""ftscalingbench's module_function, verbatim: a module-level function called through the module object.

`module` is the file's own module (sys.modules[__name__], as ftscalingbench's); blocks <<
difficulty iterations each look `double` up as the module's attribute (3.11: LOAD_GLOBAL
module, LOAD_METHOD double: a global is not an import) and call it. Without a GIL every thread
reads the one module object and the one function object: their counts are what 3.13t contended
on and 3.14t defers. The total starts at the seed (ftscalingbench's at 0).
"""
import sys


def double(x):
    return x + x


module = sys.modules[__name__]


def task(seed, difficulty, blocks):
    total = seed
    for i in range(blocks << difficulty):
        total += module.double(i)
    return total
