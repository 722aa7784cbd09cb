"""ftscalingbench's thread_local_read, its loop body verbatim: five reads of a threading.local's attribute per iteration.

`thread_local` is one module-level object that every thread reads; each thread sees its own
attributes (the model keeps a dict per thread, emptied when the task returns; CPython's lasts as
long as the thread, and the task stores before it reads, so the loop is the same). Each read
loads the shared object from a local (LOAD_FAST: a count every thread writes, which neither
PEP 683 nor 3.14t's deferred counting covers) and the thread's own attribute. blocks <<
difficulty // 2 iterations (ftscalingbench's 500 against 1000). Returns seed + _ + the last i.
"""
import threading

thread_local = threading.local()


def task(seed, difficulty, blocks):
    tmp = thread_local
    tmp.x = 10
    for i in range((blocks << difficulty) // 2):
        _ = tmp.x
        _ = tmp.x
        _ = tmp.x
        _ = tmp.x
        _ = tmp.x
    return seed + _ + i
