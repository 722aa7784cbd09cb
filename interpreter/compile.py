#!/usr/bin/env python3
"""gillab's compiler: a subset of Python to the model's bytecode (interpreter/opcodes.hpp).

    python3 interpreter/compile.py workloads/pow.py       # the program, as JSON, on stdout

CPython's own parser (the `ast` module) reads the file, so the language is CPython's; this
compiler accepts a subset of it and refuses the rest with `file:line:col: <construct> is not
supported` and exit status 2. Code generation follows CPython 3.11's compiler (Python/compile.c)
for what the subset has, so the model runs the instruction stream CPython 3.11 would, op for op
(tests/dis_compare.py checks each shipped workload against `dis`), except where the model differs:
  - no adaptive specialisation, no inline caches, no RESUME/PRECALL/PUSH_NULL;
  - BINARY_OP and COMPARE_OP are split into one op per operator (BINARY_ADD, COMPARE_LT...);
  - range(n) returns its iterator (GET_ITER on it does nothing);
  - `old, G = G, new` on a global G is one atomic EXCHANGE_GLOBAL: a hand-off through a
    module global that stays correct when threads run it at once without a GIL.
The subset: module-level `NAME = <constant int or None>`, `NAME = [<ints>]` or `[<ints>] * n` (a
list every thread shares), `NAME = {}` or `dict.fromkeys(range(n), v)` (a dict every thread
shares), `import math` and `import sys`, `NAME = sys.modules[__name__]` (the file's own
module: its functions called through it, by 3.11's LOAD_METHOD on a global), `class NAME:` of
methods only (no bases; `__init__` run by a call of the class; instances' attributes loaded,
stored and `+=`'d; methods called by LOAD_METHOD, CALL_METHOD; `with` of one item, by
BEFORE_WITH and __exit__(None, None, None), no handler), `import threading` and `NAME =
threading.local()`, `from operator import methodcaller` (of the list methods) and `def`
(positional arguments only);
in functions: assignment to a name, augmented assignment, `global`, `return`, `if/elif/else`,
`while`, `for NAME in range(a[, b])`, `pass`, expression statements; int constants (64-bit),
float constants (finite; + - * / and comparisons on floats, an int operand converted as Python
converts it; / of two ints gives a float, as Python's), `import math` at module level and
`math.cos(x)` (LOAD_GLOBAL, LOAD_ATTR, CALL: 3.11 calls an imported name's attribute so),
None/True/False, str constants of printable ASCII (compared with == and !=, never operated on),
tuples (constant tuples are folded, as CPython folds them), lists (displays of at most two
constants, and any display of expressions; `[x] * n`), subscripts read and, on lists,
written, `.append(x)` and `.pop([i])` on lists, dicts of int and str keys (a display of at most
15 items, BUILD_MAP; subscripts read and written), + - * // % & | ^ << >>, unary - ~ not, single
comparisons, calls of module functions, range() and round(x); a `def` inside a function (a nested function,
made anew by MAKE_FUNCTION each time control passes it, as CPython makes it; it may read no
variable of the function around it: no closures yet) and calls of the local that holds it.

The JSON: {"file", "doc", "globals": [{"name", "kind": int|none|function|builtin|list|module|dict, "value",
"items" (list: its ints; dict: its keys, each of value `value`)}],
"functions": [{"name", "args", "locals", "consts": [{"int": v} | {"float": v} | {"none": true} | {"str": s} |
{"tuple": [v, ...]} | {"code": function index}], "code": [[op, arg, line], ...]}]}; jump arguments
are instruction indices; a nested function's name is its qualified name (`task.<locals>.foo`).
"""
import ast
import json
import math
import sys

INT64_MIN, INT64_MAX = -(1 << 63), (1 << 63) - 1
BUILTINS = ["range", "cos", "round", "methodcaller"]  # a builtin global's value (code.hpp's kBuiltinNames; cos is math's)
FROM_IMPORTS = {("operator", "methodcaller")}  # `from M import NAME`: a builtin global
GLOBAL_BUILTINS = ("range", "round")
MAX_DICT_DISPLAY = 15  # items of a dict display; CPython 3.11 builds a longer one in pieces
METHODS = ["append", "pop"]  # the list methods (interpreter/code.hpp's kMethodNames)
# What `import` takes, and each module's attributes that functions may read. sys and threading
# are read at module level only (`sys.modules[__name__]`, `threading.local()`): no global.
MODULES = {"math": ["cos"], "sys": [], "threading": []}
MODULE_LEVEL_ONLY = ("sys", "threading")
SELF_MODULE = 1  # a module global's value: the file's own module (`NAME = sys.modules[__name__]`)
MAX_COPY_SIZE = 4  # CPython 3.11 copies exit blocks up to this size into a jump's place

BINARY = {ast.Add: "BINARY_ADD", ast.Sub: "BINARY_SUBTRACT", ast.Mult: "BINARY_MULTIPLY", ast.Div: "BINARY_TRUE_DIVIDE",
          ast.FloorDiv: "BINARY_FLOOR_DIVIDE", ast.Mod: "BINARY_MODULO", ast.BitAnd: "BINARY_AND",
          ast.BitOr: "BINARY_OR", ast.BitXor: "BINARY_XOR", ast.LShift: "BINARY_LSHIFT",
          ast.RShift: "BINARY_RSHIFT"}
COMPARE = {ast.Lt: "COMPARE_LT", ast.LtE: "COMPARE_LE", ast.Eq: "COMPARE_EQ", ast.NotEq: "COMPARE_NE",
           ast.Gt: "COMPARE_GT", ast.GtE: "COMPARE_GE"}
UNARY = {ast.USub: "UNARY_NEGATIVE", ast.Invert: "UNARY_INVERT", ast.Not: "UNARY_NOT"}
CONDITIONAL = {"POP_JUMP_IF_FALSE", "POP_JUMP_IF_TRUE"}
UNCONDITIONAL = {"JUMP"}

# Readable names for refused constructs (the rest: the node's class name, lower case).
CONSTRUCTS = {
    "Lambda": "lambda", "ListComp": "list comprehension", "SetComp": "set comprehension",
    "DictComp": "dict comprehension", "GeneratorExp": "generator expression",
    "Dict": "dict display", "Set": "set display", "Attribute": "attribute access", "ClassDef": "class",
    "Import": "import", "ImportFrom": "import", "Break": "break", "Continue": "continue",
    "BoolOp": "and/or", "IfExp": "conditional expression", "Yield": "yield", "YieldFrom": "yield from",
    "Await": "await", "AsyncFunctionDef": "async def", "Try": "try", "Raise": "raise",
    "Assert": "assert", "Delete": "del", "Starred": "starred expression", "JoinedStr": "f-string",
    "Nonlocal": "nonlocal", "NamedExpr": "assignment expression", "Slice": "slice", "Match": "match",
    "AnnAssign": "annotated assignment", "Pow": "**", "MatMult": "@",
    "Is": "is", "IsNot": "is not", "In": "in", "NotIn": "not in", "UAdd": "unary +",
}


class Unsupported(Exception):
    def __init__(self, node, construct):
        super().__init__(construct)
        self.node, self.construct = node, construct


def refuse(node, what=None):
    name = type(node).__name__
    raise Unsupported(node, what or CONSTRUCTS.get(name, name.lower()))


class Block:
    """A basic block: instructions [op, arg, line]; a jump's arg is its target Block."""

    def __init__(self):
        self.instrs = []
        self.next = None  # the block after this one in the layout

    def last(self):
        return self.instrs[-1] if self.instrs else None

    def exits(self):  # ends the function: no fallthrough, no jump
        return bool(self.instrs) and self.instrs[-1][0] == "RETURN_VALUE"

    def falls_through(self):
        last = self.last()
        return last is None or last[0] not in UNCONDITIONAL | {"RETURN_VALUE"}


# ---------------------------------------------------------------------------------------------
# Constants, folded as CPython's AST optimiser folds them (Python/ast_opt.c).

STR_OPERATION = "an operation on a str (the model's strs are constants, compared only)"

def fold(node):
    """The node's constant value (int, float, None, bool, str or a tuple of them), or raises LookupError."""
    if isinstance(node, ast.Constant):
        v = node.value
        if v is None or isinstance(v, (bool, int)):
            return check_int(node, v)
        if isinstance(v, float):
            if not math.isfinite(v):
                refuse(node, "a float constant that is not finite")
            return v
        if isinstance(v, str):
            if not all(" " <= c <= "~" for c in v):
                refuse(node, "a str constant other than printable ASCII")
            return v
        refuse(node, type(v).__name__ + " constant")
    if isinstance(node, ast.UnaryOp) and type(node.op) in UNARY:
        v = fold(node.operand)
        if isinstance(v, str):
            refuse(node, STR_OPERATION)
        if isinstance(v, tuple):
            raise LookupError
        if isinstance(node.op, ast.Not):
            return not v
        if v is None:
            raise LookupError
        return check_int(node, -v if isinstance(node.op, ast.USub) else ~v)
    if isinstance(node, ast.BinOp) and type(node.op) in BINARY:
        a, b = fold(node.left), fold(node.right)
        if isinstance(a, str) or isinstance(b, str):
            refuse(node, STR_OPERATION)
        if not all(isinstance(x, (int, float)) for x in (a, b)):
            raise LookupError
        try:
            v = binary_value(node.op, a, b)
            if isinstance(v, float) and not math.isfinite(v):
                raise LookupError  # CPython folds it; the model's constants stay finite
            return check_int(node, v)
        except (ZeroDivisionError, ValueError, OverflowError, TypeError):
            raise LookupError  # CPython leaves it to run time, and so does the model
    if isinstance(node, ast.Tuple) and isinstance(node.ctx, ast.Load):
        return tuple(fold(e) for e in node.elts)
    raise LookupError


def is_constant(node):
    try:
        fold(node)
        return True
    except LookupError:
        return False


def binary_value(op, a, b):
    if isinstance(op, ast.LShift) and b > 128:
        raise OverflowError
    return {ast.Add: lambda: a + b, ast.Sub: lambda: a - b, ast.Mult: lambda: a * b, ast.Div: lambda: a / b,
            ast.FloorDiv: lambda: a // b, ast.Mod: lambda: a % b, ast.BitAnd: lambda: a & b,
            ast.BitOr: lambda: a | b, ast.BitXor: lambda: a ^ b, ast.LShift: lambda: a << b,
            ast.RShift: lambda: a >> b}[type(op)]()


def check_int(node, v):
    if isinstance(v, int) and not isinstance(v, bool) and not INT64_MIN <= v <= INT64_MAX:
        refuse(node, "an int outside 64 bits (the model's ints are 64-bit)")
    return v


def const_json(node, v):
    if v is None:
        return {"none": True}
    if isinstance(v, str):
        return {"str": v}
    if isinstance(v, float):
        return {"float": v}
    if isinstance(v, tuple):
        if not all(isinstance(x, int) for x in v):
            refuse(node, "a constant tuple of anything but ints")
        return {"tuple": [int(x) for x in v]}
    return {"int": int(v)}


# ---------------------------------------------------------------------------------------------
# One function: code generation into blocks, as compile.c lays them out.

def own_nodes(fn):
    """The nodes of fn's body that belong to fn: a nested def is seen (its name is fn's local),
    its arguments and body are not."""
    work = list(fn.body)
    while work:
        node = work.pop()
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            work.extend(getattr(node, "decorator_list", []))
            continue
        work.extend(ast.iter_child_nodes(node))


class FunctionCompiler:
    def __init__(self, module, fn, qualname=None, enclosing=()):
        self.module, self.fn = module, fn
        self.qualname = qualname or fn.name
        self.enclosing = set(enclosing)  # the locals of the functions around a nested one
        a = fn.args
        if a.posonlyargs or a.vararg or a.kwonlyargs or a.kwarg or a.defaults or a.kw_defaults:
            refuse(fn, "arguments other than plain positional ones")
        for d in fn.decorator_list:
            refuse(d, "decorator")
        self.args = [x.arg for x in a.args]
        self.globals_declared = {n for s in own_nodes(fn) if isinstance(s, ast.Global) for n in s.names}
        self.locals = list(self.args)
        for node in own_nodes(fn):
            name = node.name if isinstance(node, ast.FunctionDef) else node.id if (
                isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)) else None
            if name is not None and name not in self.globals_declared and name not in self.locals:
                self.locals.append(name)
        self.consts = []
        self.entry = self.current = Block()
        self.loops = []  # "for" or "while", innermost last

    # -- emitting --
    def emit(self, op, arg, node):
        self.current.instrs.append([op, arg, getattr(node, "lineno", None)])

    def use_next(self, block):
        self.current.next = block
        self.current = block

    def const(self, node, v):
        j = const_json(node, v)
        # By their text, not ==: 0.0 and -0.0 (or 1 and 1.0 in a tuple) are two constants, as in CPython.
        texts = [json.dumps(c) for c in self.consts]
        if json.dumps(j) not in texts:
            self.consts.append(j)
            return len(self.consts) - 1
        return texts.index(json.dumps(j))

    def is_local(self, name):
        return name in self.locals

    # -- statements --
    def body(self, stmts):
        for s in stmts:
            self.stmt(s)

    def stmt(self, s):
        method = getattr(self, "stmt_" + type(s).__name__, None)
        if method is None:
            refuse(s)
        method(s)

    def stmt_Pass(self, s):
        pass

    def stmt_FunctionDef(self, s):
        """A nested def: LOAD_CONST <code>, MAKE_FUNCTION 0, STORE_FAST name (CPython 3.11's)."""
        if s.name in self.globals_declared:
            refuse(s, "a nested def of a name declared global")
        index = self.module.nested(s, self.qualname + ".<locals>." + s.name, self.enclosing | set(self.locals))
        code = {"code": index}
        if code not in self.consts:
            self.consts.append(code)
        self.emit("LOAD_CONST", self.consts.index(code), s)
        self.emit("MAKE_FUNCTION", 0, s)
        self.store(ast.Name(id=s.name, ctx=ast.Store(), lineno=s.lineno, col_offset=s.col_offset))

    def stmt_Global(self, s):
        for n in s.names:
            if n in self.args:
                refuse(s, "global naming an argument")

    def stmt_Expr(self, s):
        if isinstance(s.value, ast.Constant) and isinstance(s.value.value, str):
            return  # a docstring (first statement) or a bare string: no code, as in CPython
        self.expr(s.value)
        self.emit("POP_TOP", 0, s)

    def stmt_Return(self, s):
        if "for" in self.loops:
            refuse(s, "return inside a for loop")
        if "with" in self.loops:
            refuse(s, "return inside a with")
        if s.value is None:
            self.emit("LOAD_CONST", self.const(s, None), s)
        else:
            self.expr(s.value)
        self.emit("RETURN_VALUE", 0, s)
        self.use_next(Block())  # what follows in this block is unreachable

    def stmt_Assign(self, s):
        if len(s.targets) != 1:
            refuse(s, "chained assignment")
        target = s.targets[0]
        if isinstance(target, ast.Tuple):
            return self.exchange(s, target)
        self.expr(s.value)
        self.store(target)

    def exchange(self, s, target):
        """`old, G = G, new`: EXCHANGE_GLOBAL G (new goes in, the old value comes out)."""
        v = s.value
        ok = (len(target.elts) == 2 and isinstance(v, ast.Tuple) and len(v.elts) == 2 and
              all(isinstance(e, ast.Name) for e in target.elts) and isinstance(v.elts[0], ast.Name))
        if ok:
            old, g = target.elts
            ok = (g.id in self.globals_declared and v.elts[0].id == g.id and self.is_local(old.id))
        if not ok:
            refuse(s, "tuple unpacking (but `old, G = G, new` on a global G is)")
        self.expr(v.elts[1])
        self.emit("EXCHANGE_GLOBAL", self.module.global_index(g.id, g), s)
        self.store(old)

    def stmt_AugAssign(self, s):
        if type(s.op) not in BINARY:
            refuse(s, CONSTRUCTS.get(type(s.op).__name__))
        if isinstance(s.target, ast.Attribute):
            # 3.11: the object, COPY 1, LOAD_ATTR, the value, the operator, SWAP 2, STORE_ATTR
            name = self.module.name_index(s.target.attr, s.target)
            self.expr(s.target.value)
            self.emit("DUP_TOP", 0, s)
            self.emit("LOAD_ATTR", name, s.target)
            self.expr(s.value)
            self.emit(BINARY[type(s.op)], 0, s)
            self.emit("ROT_TWO", 0, s)
            return self.emit("STORE_ATTR", name, s.target)
        if not isinstance(s.target, ast.Name):
            refuse(s.target, "augmented assignment to anything but a name or an attribute")
        self.load_name(ast.Name(id=s.target.id, ctx=ast.Load(), lineno=s.lineno, col_offset=s.col_offset))
        self.expr(s.value)
        self.emit(BINARY[type(s.op)], 0, s)
        self.store(s.target)

    def store(self, target):
        if isinstance(target, ast.Subscript):
            if isinstance(target.slice, ast.Slice):
                refuse(target.slice)
            self.expr(target.value)
            self.expr(target.slice)
            return self.emit("STORE_SUBSCR", 0, target)
        if isinstance(target, ast.Attribute):
            self.expr(target.value)
            return self.emit("STORE_ATTR", self.module.name_index(target.attr, target), target)
        if not isinstance(target, ast.Name):
            refuse(target, "assignment to anything but a name, a subscript or an attribute")
        if target.id in self.globals_declared:
            i = self.module.global_index(target.id, target)
            if self.module.globals[i]["kind"] in ("list", "dict"):
                refuse(target, "assigning a module-level %s (its items can be)" % self.module.globals[i]["kind"])
            self.emit("STORE_GLOBAL", i, target)
        else:
            self.emit("STORE_FAST", self.locals.index(target.id), target)

    def stmt_If(self, s):
        end = Block()
        nxt = Block() if s.orelse else end
        self.jump_if(s.test, nxt, False)
        self.body(s.body)
        if s.orelse:
            self.emit("JUMP", end, None)  # JUMP_NOLINE
            self.use_next(nxt)
            self.body(s.orelse)
        self.use_next(end)

    def stmt_With(self, s):
        """`with EXPR [as NAME]:` (3.11): EXPR, BEFORE_WITH (the bound __exit__ below __enter__'s
        result), the result stored or popped, the body, then __exit__(None, None, None) by
        LOAD_CONST None x3, CALL 2 (the model's CALL_METHOD 2) and POP_TOP. The model has no
        exceptions, so no handler: an error in the body ends the task."""
        if len(s.items) != 1:
            refuse(s, "a with of more than one item")
        item = s.items[0]
        self.expr(item.context_expr)
        self.emit("BEFORE_WITH", 0, s)
        if item.optional_vars is None:
            self.emit("POP_TOP", 0, s)
        elif isinstance(item.optional_vars, ast.Name):
            self.store(item.optional_vars)
        else:
            refuse(item.optional_vars, "a with target other than a name")
        self.loops.append("with")
        self.body(s.body)
        self.loops.pop()
        for _ in range(3):
            self.emit("LOAD_CONST", self.const(s, None), s)
        self.emit("CALL_METHOD", 2, s)
        self.emit("POP_TOP", 0, s)

    def stmt_While(self, s):
        if s.orelse:
            refuse(s, "while ... else")
        self.constant_test(s.test)
        loop, body, anchor = Block(), Block(), Block()
        self.use_next(loop)
        self.loops.append("while")
        self.jump_if(s.test, anchor, False)
        self.use_next(body)
        self.body(s.body)
        self.jump_if(s.test, body, True)
        self.loops.pop()
        self.use_next(anchor)

    def stmt_For(self, s):
        if s.orelse:
            refuse(s, "for ... else")
        if not isinstance(s.target, ast.Name):
            refuse(s.target, "a for target other than a name")
        it = s.iter
        if not (isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "range"
                and not self.is_local("range")):
            refuse(it, "iterating over anything but range()")
        self.expr(it)
        self.emit("GET_ITER", 0, s)
        start, body, cleanup = Block(), Block(), Block()
        self.use_next(start)
        self.emit("FOR_ITER", cleanup, s)
        self.use_next(body)
        self.store(s.target)
        self.loops.append("for")
        self.body(s.body)
        self.loops.pop()
        self.emit("JUMP", start, None)  # JUMP_NOLINE
        self.use_next(cleanup)

    def constant_test(self, test):
        try:
            fold(test)
        except LookupError:
            return
        refuse(test, "a loop or if with a constant test")

    def jump_if(self, e, target, cond):
        """compiler_jump_if: jump to target when e's truth is cond."""
        if isinstance(e, ast.UnaryOp) and isinstance(e.op, ast.Not):
            return self.jump_if(e.operand, target, not cond)
        self.expr(e)
        self.emit("POP_JUMP_IF_TRUE" if cond else "POP_JUMP_IF_FALSE", target, e)
        self.use_next(Block())

    # -- expressions --
    def expr(self, e):
        try:
            v = fold(e)
        except LookupError:
            pass
        else:
            return self.emit("LOAD_CONST", self.const(e, v), e)
        method = getattr(self, "expr_" + type(e).__name__, None)
        if method is None:
            refuse(e)
        method(e)

    def expr_Name(self, e):
        self.load_name(e)

    def load_name(self, e):
        if self.is_local(e.id) and e.id not in self.globals_declared:
            self.emit("LOAD_FAST", self.locals.index(e.id), e)
        elif e.id in self.enclosing and e.id not in self.globals_declared:
            refuse(e, "a nested function reading '%s' of the function around it (a closure)" % e.id)
        else:
            self.emit("LOAD_GLOBAL", self.module.global_index(e.id, e), e)

    def expr_BinOp(self, e):
        if type(e.op) not in BINARY:
            refuse(e, CONSTRUCTS.get(type(e.op).__name__))  # an operator node has no position
        self.expr(e.left)
        self.expr(e.right)
        self.emit(BINARY[type(e.op)], 0, e)

    def expr_UnaryOp(self, e):
        if type(e.op) not in UNARY:
            refuse(e, CONSTRUCTS.get(type(e.op).__name__))
        self.expr(e.operand)
        self.emit(UNARY[type(e.op)], 0, e)

    def expr_Compare(self, e):
        if len(e.ops) != 1:
            refuse(e, "chained comparison")
        if type(e.ops[0]) not in COMPARE:
            refuse(e, CONSTRUCTS.get(type(e.ops[0]).__name__))
        self.expr(e.left)
        self.expr(e.comparators[0])
        self.emit(COMPARE[type(e.ops[0])], 0, e)

    def expr_Tuple(self, e):
        for x in e.elts:
            self.expr(x)
        self.emit("BUILD_TUPLE", len(e.elts), e)

    def expr_List(self, e):
        if len(e.elts) > 2 and all(is_constant(x) for x in e.elts):
            # CPython 3.11 builds it as BUILD_LIST 0, LOAD_CONST (tuple), LIST_EXTEND: not in the model
            refuse(e, "a list display of more than two constants")
        for x in e.elts:
            if isinstance(x, ast.Starred):
                refuse(x)
            self.expr(x)
        self.emit("BUILD_LIST", len(e.elts), e)

    def expr_Dict(self, e):
        """`{k: v, ...}`: the keys and values in turn, BUILD_MAP n (3.11's compiler_subdict). With more
        than one item and every key a constant, 3.11 emits BUILD_CONST_KEY_MAP over a tuple of the
        keys, which the model does not have."""
        if any(k is None for k in e.keys):
            refuse(e, "a ** in a dict display")
        if len(e.keys) > MAX_DICT_DISPLAY:
            refuse(e, "a dict display of more than %d items" % MAX_DICT_DISPLAY)
        if len(e.keys) > 1 and all(is_constant(k) for k in e.keys):
            refuse(e, "a dict display of more than one item whose keys are all constants")
        for k, v in zip(e.keys, e.values):
            self.expr(k)
            self.expr(v)
        self.emit("BUILD_MAP", len(e.keys), e)

    def method_call(self, e):
        """`x.append(v)`, `x.pop()`, `x.pop(i)`: LOAD_METHOD, the arguments, CALL_METHOD (3.11's
        LOAD_METHOD ... PRECALL; CALL)."""
        name = e.func.attr
        receiver = e.func.value
        if isinstance(receiver, ast.Name) and receiver.id in self.module.self_modules and not self.is_local(receiver.id):
            # the file's own module: 3.11 calls its function by LOAD_METHOD too (a global, not an import)
            if name not in self.module.functions:
                refuse(e.func, "%s.%s (not a function of this file)" % (receiver.id, name))
        elif name not in METHODS and name not in self.module.method_names:
            refuse(e.func, "method '%s' (the model's lists have append and pop)" % name)
        self.expr(e.func.value)
        self.emit("LOAD_METHOD", self.module.name_index(name, e.func), e.func)
        for a in e.args:
            if isinstance(a, ast.Starred):
                refuse(a)
            self.expr(a)
        self.emit("CALL_METHOD", len(e.args), e)

    def module_attribute(self, e):
        """True if e is `module.attr` of an imported module (3.11: LOAD_GLOBAL, LOAD_ATTR; a call
        of it is not a method call, for the name comes from an import)."""
        if not (isinstance(e, ast.Attribute) and isinstance(e.value, ast.Name) and e.value.id in self.module.modules):
            return False
        if self.is_local(e.value.id) and e.value.id not in self.globals_declared:
            return False
        if not MODULES[e.value.id]:
            refuse(e, "%s.%s in a function (the model reads %s at module level only)" % (e.value.id, e.attr, e.value.id))
        if e.attr not in MODULES[e.value.id]:
            refuse(e, "%s.%s (the model's %s has %s)" % (e.value.id, e.attr, e.value.id, ", ".join(MODULES[e.value.id])))
        return True

    def expr_Attribute(self, e):
        if self.module_attribute(e):
            self.load_name(e.value)
        else:
            self.expr(e.value)
        self.emit("LOAD_ATTR", self.module.name_index(e.attr, e), e)

    def expr_Subscript(self, e):
        if isinstance(e.slice, ast.Slice):
            refuse(e.slice)
        self.expr(e.value)
        self.expr(e.slice)
        self.emit("BINARY_SUBSCR", 0, e)

    def expr_Call(self, e):
        if e.keywords:
            refuse(e.keywords[0], "keyword arguments")
        if self.module_attribute(e.func):
            self.expr_Attribute(e.func)
            for a in e.args:
                if isinstance(a, ast.Starred):
                    refuse(a)
                self.expr(a)
            return self.emit("CALL", len(e.args), e)
        if isinstance(e.func, ast.Attribute):
            return self.method_call(e)
        if not isinstance(e.func, ast.Name):
            refuse(e.func, "calling anything but a module function, a class, a nested function, range() or round()")
        if self.is_local(e.func.id) and e.func.id not in self.globals_declared:
            return self.local_call(e)
        name = e.func.id
        if name == "range" and not 1 <= len(e.args) <= 2:
            refuse(e, "range() with a step" if len(e.args) > 2 else "range() without arguments")
        if name == "round" and len(e.args) != 1:
            refuse(e, "round() with ndigits")
        if name == "methodcaller" and name in self.module.imported_names and len(e.args) not in (1, 2):
            refuse(e, "methodcaller() with more than one argument for the method")
        if (name not in GLOBAL_BUILTINS and name not in self.module.functions and name not in self.module.classes and
                name not in self.module.imported_names):
            refuse(e.func, "calling anything but a module function, a class, a nested function, range() or round()")
        self.emit("LOAD_GLOBAL", self.module.global_index(name, e.func), e)
        for a in e.args:
            self.expr(a)
        self.emit("CALL", len(e.args), e)

    def local_call(self, e):
        """A call of a local (a nested function, checked when it runs): LOAD_FAST, the arguments,
        CALL (3.11's PUSH_NULL; LOAD_FAST ... PRECALL; CALL)."""
        self.load_name(e.func)
        for a in e.args:
            if isinstance(a, ast.Starred):
                refuse(a)
            self.expr(a)
        self.emit("CALL", len(e.args), e)

    # -- the code object --
    def compile(self):
        body = self.fn.body
        self.body(body)
        if self.current.falls_through():
            self.emit("LOAD_CONST", self.const(self.fn, None), None)  # the implicit `return None`
            self.emit("RETURN_VALUE", 0, None)
        code = assemble(self.entry)
        return {"name": self.qualname, "args": self.args, "locals": self.locals, "consts": self.consts,
                "code": code}


# ---------------------------------------------------------------------------------------------
# The flow graph's clean-up, as CPython 3.11's optimize_cfg and assemble do it for this subset.

def layout(entry):
    blocks, b = [], entry
    while b is not None:
        blocks.append(b)
        b = b.next
    return blocks


def first_real(block):
    """The block control reaches from here: past empty blocks."""
    while block is not None and not block.instrs:
        block = block.next
    return block


def reachable(blocks):
    seen, work = set(), [blocks[0]]
    while work:
        b = work.pop()
        if b is None or id(b) in seen:
            continue
        seen.add(id(b))
        for ins in b.instrs:
            if isinstance(ins[1], Block):
                work.append(ins[1])
        if b.falls_through():
            work.append(b.next)
    return seen


def thread_jumps(blocks):
    """An unconditional jump to an unconditional jump goes to that one's target (jump_thread).
    3.11 threads no conditional jump, nor FOR_ITER."""
    for b in blocks:
        last = b.last()
        for _ in range(len(blocks)):
            if last is None or last[0] not in UNCONDITIONAL:
                break
            t = first_real(last[1])
            if t is None or t is b or t.instrs[0][0] not in UNCONDITIONAL or t.instrs[0][1] is last[1]:
                break
            last[1] = t.instrs[0][1]


def extend_blocks(blocks):
    """An unconditional jump to a small exit block becomes a copy of it (extend_block)."""
    for b in blocks:
        last = b.last()
        if last is None or last[0] not in UNCONDITIONAL:
            continue
        t = first_real(last[1])
        if t is not None and t.exits() and len(t.instrs) <= MAX_COPY_SIZE:
            b.instrs[-1:] = [list(i) for i in t.instrs]


def duplicate_exits_without_lineno(blocks, live):
    """An exit block with no line number (the implicit return) reached from more than one place
    gets a copy for each jump to it, placed after it."""
    preds = {}
    for b in blocks:
        if id(b) not in live:
            continue
        last = b.last()
        if last is not None and isinstance(last[1], Block):
            t = first_real(last[1])
            preds[id(t)] = preds.get(id(t), 0) + 1
        if b.falls_through() and b.next is not None:
            t = first_real(b.next)
            if t is not None:
                preds[id(t)] = preds.get(id(t), 0) + 1
    for b in blocks:
        last = b.last()
        if id(b) not in live or last is None or not isinstance(last[1], Block):
            continue
        t = first_real(last[1])
        if t.exits() and t.instrs[0][2] is None and preds.get(id(t), 0) > 1:
            copy = Block()
            copy.instrs = [list(i) for i in t.instrs]
            copy.next, t.next = t.next, copy
            last[1] = copy
            preds[id(t)] -= 1
            live.add(id(copy))


def assemble(entry):
    blocks = layout(entry)
    thread_jumps(blocks)
    extend_blocks(blocks)
    live = reachable(blocks)
    duplicate_exits_without_lineno(blocks, live)
    blocks = [b for b in layout(entry) if id(b) in live and b.instrs]
    # A jump to the block that follows it is no jump (remove_redundant_jumps).
    for i, b in enumerate(blocks):
        last = b.last()
        if last[0] in UNCONDITIONAL and i + 1 < len(blocks) and first_real(last[1]) is blocks[i + 1]:
            b.instrs.pop()
    blocks = [b for b in blocks if b.instrs]
    start, pos = {}, 0
    for b in blocks:
        start[id(b)] = pos
        pos += len(b.instrs)
    code = []
    for b in blocks:
        for op, arg, line in b.instrs:
            here = len(code)
            if isinstance(arg, Block):
                arg = start[id(first_real(arg))]
                if op in UNCONDITIONAL:
                    op = "JUMP_BACKWARD" if arg <= here else "JUMP_FORWARD"
                elif op in CONDITIONAL and arg <= here:
                    op = op.replace("POP_JUMP_IF", "POP_JUMP_BACKWARD_IF")
            code.append([op, arg, line or 0])
    return code


# ---------------------------------------------------------------------------------------------
# The module: its globals and functions.

class ModuleCompiler:
    def __init__(self, tree):
        self.tree = tree
        self.doc = ast.get_docstring(tree) or ""
        self.globals = []  # {"name", "kind", "value"}
        self.functions = {}  # name -> function index
        self.modules = set()  # the imported modules' names
        self.defs = []  # (node, qualified name, the locals around it), module functions first
        self.classes = {}  # name -> {"name", "methods": [[name index, function index], ...]}
        self.method_names = set()  # every method the file's classes define
        self.names = []  # LOAD_ATTR's, STORE_ATTR's and LOAD_METHOD's argument: the index
        self.self_modules = set()  # globals bound to sys.modules[__name__]
        self.imported_names = set()  # builtins a `from M import NAME` made globals

    def name_index(self, name, node):
        if name.startswith("__") and not name.endswith("__"):
            refuse(node, "a private name (CPython mangles it)")
        if name not in self.names:
            self.names.append(name)
        return self.names.index(name)

    def global_index(self, name, node):
        for i, g in enumerate(self.globals):
            if g["name"] == name:
                return i
        if name in GLOBAL_BUILTINS:
            self.globals.append({"name": name, "kind": "builtin", "value": BUILTINS.index(name)})
            return len(self.globals) - 1
        refuse(node, "name '%s' (not a module global, an argument or a local)" % name)
        return -1

    def nested(self, node, qualname, enclosing):
        """A nested def's function index (compiled after the functions before it)."""
        if qualname.count(".<locals>.") > 1:
            refuse(node, "a def inside a nested function")
        self.defs.append((node, qualname, tuple(enclosing)))
        return len(self.defs) - 1

    def top_level(self):
        for i, s in enumerate(self.tree.body):
            if i == 0 and isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant) and isinstance(s.value.value, str):
                continue
            if isinstance(s, ast.FunctionDef):
                self.functions[s.name] = len(self.defs)
                self.defs.append((s, s.name, ()))
                self.globals.append({"name": s.name, "kind": "function", "value": self.functions[s.name]})
            elif isinstance(s, ast.Assign) and len(s.targets) == 1 and isinstance(s.targets[0], ast.Name):
                self.module_constant(s)
            elif isinstance(s, ast.Import):
                self.module_import(s)
            elif isinstance(s, ast.ImportFrom):
                self.module_import_from(s)
            elif isinstance(s, ast.ClassDef):
                self.module_class(s)
            elif is_main_guard(s):
                continue  # what the file does when run as a script is CPython's alone
            else:
                refuse(s, "module-level " + CONSTRUCTS.get(type(s).__name__, type(s).__name__.lower()))

    def module_class(self, s):
        """`class NAME:` of methods (and a docstring or pass): a global; each method a function
        named NAME.method, its first argument the instance."""
        if s.bases or s.keywords or s.decorator_list:
            refuse(s, "a class with bases, keywords or decorators")
        methods = []
        for i, m in enumerate(s.body):
            if isinstance(m, ast.Pass) or (i == 0 and isinstance(m, ast.Expr) and isinstance(m.value, ast.Constant)
                                           and isinstance(m.value.value, str)):
                continue
            if not isinstance(m, ast.FunctionDef):
                refuse(m, "a class body of anything but methods")
            if not m.args.args:
                refuse(m, "a method without self")
            methods.append([self.name_index(m.name, m), len(self.defs)])
            self.method_names.add(m.name)
            self.defs.append((m, s.name + "." + m.name, ()))
        cls = {"name": s.name, "methods": methods}
        self.classes[s.name] = cls
        self.new_global(s, {"name": s.name, "kind": "class", "value": len(self.classes) - 1})

    def module_import(self, s):
        """`import math`: a module global whose attributes (MODULES) the model has natively."""
        for alias in s.names:
            if alias.name not in MODULES or alias.asname:
                refuse(s, "import of %s (the model has %s)" % (alias.name if not alias.asname else alias.name + " as " + alias.asname,
                                                              ", ".join("import " + m for m in MODULES)))
            self.modules.add(alias.name)
            if alias.name not in MODULE_LEVEL_ONLY:
                self.globals.append({"name": alias.name, "kind": "module", "value": list(MODULES).index(alias.name)})

    def module_import_from(self, s):
        """`from operator import methodcaller`: a builtin global (FROM_IMPORTS)."""
        for alias in s.names:
            if (s.module, alias.name) not in FROM_IMPORTS or alias.asname or s.level:
                refuse(s, "from %s import %s (the model has %s)" % (s.module, alias.name,
                                                                   ", ".join("from %s import %s" % f for f in sorted(FROM_IMPORTS))))
            self.imported_names.add(alias.name)
            self.new_global(s, {"name": alias.name, "kind": "builtin", "value": BUILTINS.index(alias.name)})

    def module_list(self, node):
        """`[ints]` or `[ints] * n` (either order): the ints, or None if the node is neither."""
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult) and ast.List in (type(node.left), type(node.right)):
            lst, n = (node.left, node.right) if isinstance(node.left, ast.List) else (node.right, node.left)
            items = self.module_list(lst) if isinstance(lst, ast.List) else None
            try:
                times = fold(n)
            except LookupError:
                times = None
            if items is None or not isinstance(times, int) or isinstance(times, bool) or len(items) * max(times, 0) > 1 << 16:
                refuse(node, "a module-level list that is not [ints] or [ints] * n (at most 65536 items)")
            return items * max(times, 0)
        if not isinstance(node, ast.List):
            return None
        items = []
        for x in node.elts:
            try:
                v = fold(x)
            except LookupError:
                v = None
            if not isinstance(v, int) or isinstance(v, bool):
                refuse(x, "a module-level list item that is not a constant int")
            items.append(int(v))
        return items

    def module_dict(self, node):
        """`{}` or `dict.fromkeys(range(n), v)` with a constant int v: (keys, v), or None if neither."""
        if isinstance(node, ast.Dict):
            if node.keys:
                refuse(node, "a module-level dict other than {} or dict.fromkeys(range(n), v)")
            return [], 0
        f = node.func if isinstance(node, ast.Call) else None
        if not (isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id == "dict" and f.attr == "fromkeys"):
            return None
        ok = len(node.args) == 2 and not node.keywords
        if ok:
            r, v = node.args
            ok = isinstance(r, ast.Call) and isinstance(r.func, ast.Name) and r.func.id == "range" and len(r.args) == 1
        try:
            n, v = (fold(r.args[0]), fold(v)) if ok else (None, None)
        except LookupError:
            n = None
        if not all(isinstance(x, int) and not isinstance(x, bool) for x in (n, v)) or not 0 <= n <= 1 << 16:
            refuse(node, "a module-level dict.fromkeys other than dict.fromkeys(range(n), v), ints, n at most 65536")
        return list(range(n)), v

    def new_global(self, s, g):
        if any(x["name"] == g["name"] for x in self.globals):
            refuse(s, "a module global assigned twice")
        self.globals.append(g)

    def module_self(self, s):
        """`NAME = sys.modules[__name__]` (after `import sys`): the file's own module, whose
        attributes are its globals. True if s is that."""
        v = s.value
        if not (isinstance(v, ast.Subscript) and isinstance(v.value, ast.Attribute) and isinstance(v.value.value, ast.Name)
                and v.value.value.id == "sys" and v.value.attr == "modules"):
            return False
        if "sys" not in self.modules or not (isinstance(v.slice, ast.Name) and v.slice.id == "__name__"):
            refuse(v, "sys.modules other than sys.modules[__name__] after import sys")
        self.self_modules.add(s.targets[0].id)
        self.new_global(s, {"name": s.targets[0].id, "kind": "module", "value": SELF_MODULE})
        return True

    def module_thread_local(self, s):
        """`NAME = threading.local()` (after `import threading`): an object whose attributes each
        thread sees its own of. True if s is that."""
        v = s.value
        if not (isinstance(v, ast.Call) and isinstance(v.func, ast.Attribute) and isinstance(v.func.value, ast.Name)
                and v.func.value.id == "threading"):
            return False
        if "threading" not in self.modules or v.func.attr != "local" or v.args or v.keywords:
            refuse(v, "threading other than threading.local() after import threading")
        self.new_global(s, {"name": s.targets[0].id, "kind": "thread_local", "value": 0})
        return True

    def module_constant(self, s):
        if self.module_self(s) or self.module_thread_local(s):
            return
        d = self.module_dict(s.value)
        if d is not None:
            self.new_global(s, {"name": s.targets[0].id, "kind": "dict", "value": d[1], "items": d[0]})
            return
        items = self.module_list(s.value)
        if items is not None:
            name = s.targets[0].id
            if any(g["name"] == name for g in self.globals):
                refuse(s, "a module global assigned twice")
            self.globals.append({"name": name, "kind": "list", "value": len(items), "items": items})
            return
        try:
            v = fold(s.value)
        except LookupError:
            refuse(s.value, "a module global that is not a constant int or None")
        if isinstance(v, tuple):
            refuse(s.value, "a module global that is not a constant int or None")
        name = s.targets[0].id
        if any(g["name"] == name for g in self.globals):
            refuse(s, "a module global assigned twice")
        self.globals.append({"name": name, "kind": "none" if v is None else "int", "value": 0 if v is None else int(v)})

    def compile(self, path):
        self.top_level()
        if "task" not in self.functions:
            raise Unsupported(self.tree, "a file without a task(seed, difficulty, blocks) function")
        functions = []
        while len(functions) < len(self.defs):  # compiling a function may add its nested ones
            node, qualname, enclosing = self.defs[len(functions)]
            functions.append(FunctionCompiler(self, node, qualname, enclosing).compile())
        return {"file": path, "doc": self.doc, "globals": self.globals, "functions": functions,
                "classes": list(self.classes.values()), "names": self.names}


def is_main_guard(s):
    t = s.test if isinstance(s, ast.If) else None
    return (isinstance(t, ast.Compare) and isinstance(t.left, ast.Name) and t.left.id == "__name__"
            and len(t.comparators) == 1 and isinstance(t.comparators[0], ast.Constant)
            and t.comparators[0].value == "__main__")


def compile_file(path):
    """The program as a dict; raises Unsupported or SyntaxError."""
    with open(path, encoding="utf-8") as f:
        source = f.read()
    tree = ast.parse(source, filename=path)
    return ModuleCompiler(tree).compile(path)


def main(argv):
    if len(argv) != 1 or argv[0].startswith("-"):
        sys.stderr.write("usage: compile.py FILE.py\n")
        return 2
    path = argv[0]
    try:
        program = compile_file(path)
    except OSError as e:
        sys.stderr.write("%s: cannot read it: %s\n" % (path, e.strerror))
        return 2
    except SyntaxError as e:
        sys.stderr.write("%s:%s:%s: %s\n" % (path, e.lineno, e.offset, e.msg))
        return 2
    except Unsupported as e:
        line, col = getattr(e.node, "lineno", 1), getattr(e.node, "col_offset", 0) + 1
        sys.stderr.write("%s:%d:%d: %s is not supported\n" % (path, line, col, e.construct))
        return 2
    json.dump(program, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
