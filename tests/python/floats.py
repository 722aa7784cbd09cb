"""Floats as Python has them: int operands converted, comparisons with ints exact beyond 2**53,
-0.0 equal to 0 and false, a NaN equal to nothing, / a float whatever its operands; each rule
one bit of the answer."""
import math

BIG = 9007199254740993  # 2**53 + 1: no double equals it


def bit(b, k):
    if b:
        return 1 << k
    return 0


def task(seed, difficulty, blocks):
    x = 1.5 * seed - 0.25
    t = bit(x > seed, 0) + bit(x < seed * 2, 1) + bit(-x < 0, 2)
    big = 9007199254740992.0
    t += bit(BIG > big, 3) + bit(BIG == big, 4) + bit(BIG - 1 == big, 5) + bit(big < BIG, 6) + bit(big <= BIG - 1, 7)
    h = 1e300
    inf = h * h
    nan = inf - inf
    t += bit(nan == nan, 8) + bit(nan != nan, 9) + bit(nan < 1, 10) + bit(nan >= 1, 11) + bit(inf > BIG, 12)
    z = -0.0
    t += bit(z == 0, 13) + bit(z, 14) + bit(0.5, 15) + bit(1 == 1.0, 16) + bit(3 != 3.0, 17)
    y = x
    for i in range(blocks << difficulty):
        y = y * 1.0001 + i - 0.5 * i
    t += bit(y > x, 18) + bit(y == y, 19)
    t += bit(7 / 2 == 3.5, 20) + bit(-7 / 2 == -3.5, 21) + bit(seed / 3 * 3 == seed, 22) + bit(seed / 2 == seed // 2, 23)
    t += bit(math.cos(0) == 1, 24) + bit(math.cos(seed) < 1, 25) + bit(math.cos(x / seed) == math.cos(-x / seed), 26)
    t += bit(math.cos(0.5) == 0.8775825618903728, 27)  # CPython's repr of it: the model's cos to the last bit
    return t
