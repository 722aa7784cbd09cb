"""Control-flow shapes for the compiler's side-by-side test, beyond what the workloads use."""
LIMIT = 10
slot = None
count = 0


def branches(s, b):
    if s < 3:
        return 1
    elif s > 4:
        x = 2
    else:
        x = -s
    if not s == b:
        x = x + 1
    y = not s
    z = ~b
    return (x, y, z)[0]


def falls_off(n):
    i = 0
    while i < n:
        i = i + 1


def nested(n):
    t = 0
    for i in range(2, n):
        j = 0
        while j < i:
            if j % 2 == 0:
                t += j
            j += 1
    return t


def store_global(v):
    global count, slot
    count = count + v
    old, slot = slot, (v, count)
    return count


def task(seed, difficulty, blocks):
    return branches(seed, blocks) + nested(difficulty) + store_global(1) * 0 + LIMIT


def if_in_for(n):
    t = 0
    for i in range(n):
        if i:
            t += 1
    return t


def if_else_in_while(n):
    t = 0
    while t < n:
        if t:
            t += 1
        else:
            t += 2
    return t
