"""ftscalingbench's context_manager, its class and loop verbatim: a with statement per iteration.

blocks << difficulty iterations, each an instance of MyContextManager made, BEFORE_WITH (which
looks __enter__ and __exit__ up on the class, binds __exit__ to the instance in a new bound-method
object and calls __enter__), an empty body, and __exit__(None, None, None). The model has no
exceptions, so no handler: an error in the body ends the task. ftscalingbench's task returns
nothing; this one returns seed + the last i, so the loop is checked.
"""


class MyContextManager:
    def __enter__(self):
        pass

    def __exit__(self, exc_type, exc_value, traceback):
        pass


def task(seed, difficulty, blocks):
    N = blocks << difficulty
    for i in range(N):
        with MyContextManager():
            pass
    return seed + i
