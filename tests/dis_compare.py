#!/usr/bin/env python3
"""Sets the model's instructions beside CPython 3.11's `dis` of the same function, for every
function of each workload file given, and fails (exit 1) on the first difference.

    python3 tests/dis_compare.py workloads tests/python/shapes.py   # check (a folder: its .py files)
    python3 tests/dis_compare.py --show workloads/pow.py # print the two side by side

Both streams are normalised to the model's op names: CPython's RESUME, PRECALL, PUSH_NULL,
CACHE and NOP are dropped (the model has no specialisation and no inline caches), BINARY_OP(+)
and BINARY_OP(+=) become BINARY_ADD, COMPARE_OP(<) COMPARE_LT, POP_JUMP_FORWARD_IF_x
POP_JUMP_IF_x, COPY 1 DUP_TOP and SWAP 2 ROT_TWO, a with statement's exception handler (and
the jump over it) is dropped, for the model has no exceptions, and CPython's `LOAD_GLOBAL G ... SWAP 2; STORE_FAST old; STORE_GLOBAL G`
becomes the model's `... EXCHANGE_GLOBAL G; STORE_FAST old`. Each instruction is compared by
op and by what it names: a load's or store's name, a constant's value, a count, and a jump's
target (as an index into the normalised stream). Exit 77 (skipped) on another CPython than 3.11.
"""
import dis
import importlib.util
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "interpreter"))
import compile as gillab_compile  # noqa: E402

DROP = {"RESUME", "PRECALL", "CACHE", "NOP", "EXTENDED_ARG"}  # and PUSH_NULL, once calls are paired
BINARY = {"+": "BINARY_ADD", "-": "BINARY_SUBTRACT", "*": "BINARY_MULTIPLY", "/": "BINARY_TRUE_DIVIDE", "//": "BINARY_FLOOR_DIVIDE",
          "%": "BINARY_MODULO", "&": "BINARY_AND", "|": "BINARY_OR", "^": "BINARY_XOR", "<<": "BINARY_LSHIFT",
          ">>": "BINARY_RSHIFT"}
COMPARE = {"<": "COMPARE_LT", "<=": "COMPARE_LE", "==": "COMPARE_EQ", "!=": "COMPARE_NE", ">": "COMPARE_GT",
           ">=": "COMPARE_GE"}
JUMPS = {"JUMP_FORWARD", "JUMP_BACKWARD", "POP_JUMP_IF_FALSE", "POP_JUMP_IF_TRUE", "POP_JUMP_BACKWARD_IF_FALSE",
         "POP_JUMP_BACKWARD_IF_TRUE", "FOR_ITER"}


END = {"RETURN_VALUE", "RERAISE", "RAISE_VARARGS"}
UNCONDITIONAL = {"JUMP_FORWARD", "JUMP_BACKWARD", "JUMP_BACKWARD_NO_INTERRUPT"}


def normal_flow(instructions):
    """The offsets control reaches without an exception: a with statement's handler (reached only
    through the exception table) is code the model, which has no exceptions, does not have."""
    at = {ins.offset: k for k, ins in enumerate(instructions)}
    seen, work = set(), [0]
    while work:
        k = work.pop()
        if k >= len(instructions) or instructions[k].offset in seen:
            continue
        ins = instructions[k]
        seen.add(ins.offset)
        if ins.opcode in dis.hasjrel or ins.opcode in dis.hasjabs:
            work.append(at[ins.argval])
        if ins.opname not in END | UNCONDITIONAL:
            work.append(k + 1)
    return seen


def cpython_stream(fn):
    """[(op, what, target offset or None)] from dis, in the model's names."""
    out = []
    instructions = list(dis.get_instructions(fn))
    live = normal_flow(instructions)
    for k, ins in enumerate(instructions):
        op = ins.opname
        if op in DROP or ins.offset not in live:
            continue
        # A jump over a dropped handler to what follows it is no jump in the model.
        if op == "JUMP_FORWARD" and all(i.offset not in live for i in instructions[k + 1:] if i.offset < ins.argval):
            continue
        what = ins.argval.co_name if hasattr(ins.argval, "co_name") else ins.argval  # a nested def's code: its name
        if op == "BINARY_OP":
            op, what = BINARY[ins.argrepr[:-1] if ins.argrepr.endswith("=") else ins.argrepr], None  # += is +
        elif op == "COMPARE_OP":
            op, what = COMPARE[ins.argrepr], None
        elif op.startswith("POP_JUMP_FORWARD_IF_"):
            op = op.replace("POP_JUMP_FORWARD_IF_", "POP_JUMP_IF_")
        elif (op, ins.arg) in (("COPY", 1), ("SWAP", 2)) and not exchange_swap(ins, fn):
            op, what = {"COPY": "DUP_TOP", "SWAP": "ROT_TWO"}[op], None
        if op in JUMPS or op in ("RETURN_VALUE", "POP_TOP", "GET_ITER", "BINARY_SUBSCR", "STORE_SUBSCR", "MAKE_FUNCTION") or \
                op.startswith("UNARY_"):
            what = None
        # [op, what, offset, jump target, starts a call (3.11's LOAD_GLOBAL with NULL)]
        out.append([op, what, ins.offset, ins.argval if op in JUMPS else None,
                    op == "LOAD_GLOBAL" and ins.argrepr.startswith("NULL")])
    out = [ins for ins in method_form(exchange_form(out)) if ins[0] != "PUSH_NULL"]
    index = {}
    for i, ins in enumerate(out):
        index.setdefault(ins[2], i)
    offsets = sorted(index)

    def at(offset):  # a dropped instruction's offset: the next kept one
        return index[next(o for o in offsets if o >= offset)]

    return [(op, what, at(target) if target is not None else None) for op, what, _, target, _ in out]


def exchange_swap(ins, fn):
    """True for the SWAP 2 of `old, G = G, new` (a STORE_FAST and a STORE_GLOBAL follow), which
    exchange_form turns into EXCHANGE_GLOBAL."""
    after = [i.opname for i in dis.get_instructions(fn) if i.offset > ins.offset][:2]
    return ins.opname == "SWAP" and after == ["STORE_FAST", "STORE_GLOBAL"]


def method_form(out):
    """CPython's CALL n of a method (after LOAD_METHOD) -> the model's CALL_METHOD n. Each call's
    callable starts with LOAD_METHOD, a LOAD_GLOBAL pushing NULL, or PUSH_NULL (before a local's
    load: a nested function's call): a stack of them pairs each CALL with its callable."""
    pending = []
    for ins in out:
        if ins[0] in ("LOAD_METHOD", "BEFORE_WITH"):  # BEFORE_WITH: the bound __exit__, called as a method
            pending.append("method")
        elif (ins[0] == "LOAD_GLOBAL" and ins[4]) or ins[0] == "PUSH_NULL":
            pending.append("function")
        elif ins[0] == "CALL":
            if pending and pending.pop() == "method":
                ins[0] = "CALL_METHOD"
    return out


def exchange_form(out):
    """`LOAD_GLOBAL G; <new>; SWAP 2; STORE_FAST old; STORE_GLOBAL G` -> `<new>; EXCHANGE_GLOBAL G; STORE_FAST old`."""
    i = 0
    while i + 2 < len(out):
        a, b, c = out[i], out[i + 1], out[i + 2]
        if a[0] == "SWAP" and a[1] == 2 and b[0] == "STORE_FAST" and c[0] == "STORE_GLOBAL":
            g = c[1]
            j = max(k for k in range(i) if out[k][0] == "LOAD_GLOBAL" and out[k][1] == g)
            out[i:i + 3] = [["EXCHANGE_GLOBAL", g, a[2], None, False], b]
            del out[j]
            i -= 1
        i += 1
    return out


def const_value(program, c):
    """A model constant as dis shows its argval (a nested function's code by its name)."""
    if "none" in c:
        return None
    if "tuple" in c:
        return tuple(c["tuple"])
    if "code" in c:
        return program["functions"][c["code"]]["name"].split(".")[-1]
    kind = next(k for k in ("str", "float", "int") if k in c)
    return c[kind]


def model_stream(program, fn):
    names = [g["name"] for g in program["globals"]]
    out = []
    for op, arg, _line in fn["code"]:
        what, target = None, None
        if op in ("LOAD_FAST", "STORE_FAST"):
            what = fn["locals"][arg]
        elif op in ("LOAD_GLOBAL", "STORE_GLOBAL", "EXCHANGE_GLOBAL"):
            what = names[arg]
        elif op == "LOAD_CONST":
            what = const_value(program, fn["consts"][arg])
        elif op in ("CALL", "CALL_METHOD", "BUILD_TUPLE", "BUILD_LIST", "BUILD_MAP"):
            what = arg
        elif op in ("LOAD_METHOD", "LOAD_ATTR", "STORE_ATTR"):
            what = program["names"][arg]
        elif op in JUMPS:
            target = arg
        out.append((op, what, target))
    return out


def load(path):
    spec = importlib.util.spec_from_file_location("gillab_workload_" + os.path.basename(path)[:-3], path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # as an import does: a file may look itself up (sys.modules[__name__])
    spec.loader.exec_module(module)
    return module


def code_of(module, qualname):
    """A function's code object: a module function's, or a nested def's from its enclosing code's constants."""
    parts = qualname.split(".<locals>.")
    obj = module
    for attr in parts[0].split("."):  # a method: Class.name
        obj = getattr(obj, attr)
    code = obj.__code__
    for name in parts[1:]:
        code = next(k for k in code.co_consts if hasattr(k, "co_name") and k.co_name == name)
    return code


def fmt(ins):
    op, what, target = ins
    return ("%-20s %s" % (op, "-> %d" % target if target is not None else "" if what is None else repr(what))).rstrip()


def compare(path, show):
    program = gillab_compile.compile_file(path)
    module = load(path)
    ok = True
    for fn in program["functions"]:
        theirs = cpython_stream(code_of(module, fn["name"]))
        ours = model_stream(program, fn)
        if show:
            rows = [(fmt(theirs[i]) if i < len(theirs) else "", fmt(ours[i]) if i < len(ours) else "")
                    for i in range(max(len(theirs), len(ours)))]
            width = max([len("CPython 3.11 dis")] + [len(a) for a, _ in rows]) + 2
            print("%s: %s\n     %-*s %s" % (path, fn["name"], width, "CPython 3.11 dis", "gillab"))
            for i, (a, b) in enumerate(rows):
                print("  %2d %-*s %s%s" % (i, width, a, b, "" if a == b else "   <-- differs"))
        for i in range(max(len(theirs), len(ours))):
            a = theirs[i] if i < len(theirs) else None
            b = ours[i] if i < len(ours) else None
            if a != b:
                print("%s: %s: instruction %d: CPython %s, gillab %s" % (path, fn["name"], i, a and fmt(a), b and fmt(b)))
                ok = False
                break
    return ok


def main(argv):
    show = "--show" in argv
    paths = []
    for a in argv:
        if os.path.isdir(a):
            paths += sorted(os.path.join(a, f) for f in os.listdir(a) if f.endswith(".py"))
        elif a != "--show":
            paths.append(a)
    if sys.version_info[:2] != (3, 11):
        print("skipped: the model follows CPython 3.11's compiler; this is %d.%d" % sys.version_info[:2])
        return 77
    if not paths:
        print("usage: dis_compare.py [--show] FILE.py ...")
        return 2
    ok = all([compare(p, show) for p in paths])
    if ok:
        print("%d files: every function's instructions match CPython 3.11's" % len(paths))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
