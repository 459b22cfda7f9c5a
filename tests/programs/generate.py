"""Random, deterministic, multi-file C programs for comparing deet with gdb.

Hand-written samples only exercise the shapes their authors thought of. These programs are
written by a seeded ``random.Random``, so nobody on the project chose their line layout, and
the same seed always gives byte-identical sources (a failing seed is a reproduction).

Each program is 2-4 .c files with one ``main``. Functions form a call DAG (a function only
calls functions created after it) plus bounded self-recursion, and every function has one
call that always runs, so a breakpoint on any function or line gets hit. Loops are short
and counted, so the program finishes at once, prints a few lines and exits 0. The shapes a
debugger's line table handling must cope with are all there: ``static`` functions (one
static name defined in two files), ``for``/``while`` loops, ``if``/``else``, int, long,
char, pointer and struct locals and parameters, globals, calls inside expressions,
statements spanning lines, and lines with no code (blank lines, comments, lone braces,
declarations without initialisers, and a comment after the last function, where gdb
refuses a breakpoint).

Usage: ``python tests/programs/generate.py SEED DIRECTORY`` writes the program and lists
its files (to reproduce a test failure by hand).
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

# The most calls a program may make in total: keeps a breakpoint on every line cheap.
CALL_BUDGET = 40
VERBS = ("mix", "fold", "scan", "tally", "shift", "blend", "probe", "merge", "weigh",
         "trim", "sort", "pack")
NOUNS = ("cells", "steps", "pairs", "marks", "bits", "rows", "totals", "words", "slots",
         "runs")
# Parameter kinds: (C declaration, how a caller passes one of its own locals).
PARAMETERS = {
    "n": ("int n", "count + {k}"),
    "weight": ("long weight", "total + {k}"),
    "mark": ("char mark", "tag"),
    "out": ("int *out", "&slot"),
    "pp": ("struct pair *pp", "&cell"),
    "pv": ("struct pair pv", "cell"),
}
STRUCT = ["struct pair {", "    int a;", "    long b;", "    char tag;", "};"]
COMMENTS = ("/* keep the running total small */", "// a step that has no purpose",
            "/* nothing interesting happens here */", "// the next lines move values about")


@dataclass
class CallSite:
    """A call of ``callee`` from its caller; ``place`` says where the call sits: at the top
    level, in a loop body (runs every iteration) or in one branch of an if (may not run)."""

    callee: Function
    place: str


@dataclass
class Function:
    name: str
    file: int
    static: bool
    returns: str
    params: list[str]
    recursive: bool = False
    calls: list[CallSite] = field(default_factory=list)

    @property
    def signature(self) -> str:
        params = [PARAMETERS[p][0] for p in self.params]
        if self.recursive:
            params.insert(0, "int depth")
        storage = "static " if self.static else ""
        return f"{storage}{self.returns} {self.name}({', '.join(params) or 'void'})"


class Writer:
    """C source lines at an indentation depth, sprinkled with blank and comment lines."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.lines: list[str] = []
        self.depth = 0
        self.counter = 0

    def line(self, text: str) -> None:
        self.lines.append("    " * self.depth + text if text else "")

    def fresh(self, stem: str) -> str:
        """A new local name, so two loops in one block never declare the same variable."""
        self.counter += 1
        return f"{stem}{self.counter}"

    def gap(self) -> None:
        """Sometimes a blank line or a comment: source lines with no code between statements."""
        roll = self.rng.random()
        if roll < 0.2:
            self.line("")
        elif roll < 0.3:
            self.line(self.rng.choice(COMMENTS))

    def open(self, text: str) -> None:
        self.line(text + " {")
        self.depth += 1

    def close(self, text: str = "}") -> None:
        self.depth -= 1
        self.line(text)


def generate(seed: int, directory: Path) -> list[Path]:
    """Write the program for ``seed`` into ``directory``; return its .c files, main's first."""
    rng = random.Random(seed)
    functions = _plan(rng)
    files = max(f.file for f in functions) + 1
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(files):
        path = directory / ("main.c" if index == 0 else f"part{index}.c")
        path.write_text(_source(rng, seed, index, functions))
        paths.append(path)
    return paths


def _plan(rng: random.Random) -> list[Function]:
    """Choose the functions and who calls whom, keeping the number of calls in budget."""
    files = rng.randint(2, 4)
    names = iter(rng.sample([f"{v}_{n}" for v in VERBS for n in NOUNS], 20))
    twin = next(names)
    main = Function("main", 0, False, "int", [])
    functions = [main]
    # Every file gets an exported function, then two statics in two files share a name.
    for index in range(1, files):
        functions.append(_function(rng, next(names), index, static=False))
    functions.append(_function(rng, twin, 0, static=True))
    functions.append(_function(rng, twin, 1, static=True))
    for _ in range(rng.randint(3, 6)):
        functions.append(_function(rng, next(names), rng.randrange(files),
                                   static=rng.random() < 0.4))
    for function in rng.sample(functions[files + 2:], 2):
        function.recursive = True
    _connect(rng, functions)
    return functions


def _connect(rng: random.Random, functions: list[Function]) -> None:
    """Give each function a caller created before it (so calls form a DAG) whose call always
    runs, and sometimes a second call site. ``runs`` bounds how often each function runs;
    calls that would take the program over budget run once instead of in a loop, come from
    a caller that runs less, or are left out if they are not the one that must be."""
    runs = {id(functions[0]): 1}

    def cost(caller: Function, callee: Function, place: str) -> int:
        return runs[id(caller)] * (4 if callee.recursive else 1) * (3 if place == "loop" else 1)

    def fits(caller: Function, callee: Function, place: str) -> bool:
        return sum(runs.values()) + cost(caller, callee, place) <= CALL_BUDGET

    def call(caller: Function, callee: Function, place: str) -> None:
        caller.calls.append(CallSite(callee, place))
        runs[id(callee)] += cost(caller, callee, place)

    for position, callee in enumerate(functions[1:], start=1):
        visible = [f for f in functions[:position] if not callee.static or f.file == callee.file]
        runs[id(callee)] = 0
        cheap = [f for f in visible if fits(f, callee, "top")]
        first = rng.choice(cheap or [min(visible, key=lambda f: runs[id(f)])])
        place = rng.choice(("top", "top", "loop"))
        call(first, callee, place if fits(first, callee, place) else "top")
        others = [f for f in visible if f is not first]
        if others and rng.random() < 0.4:
            second, place = rng.choice(others), rng.choice(("top", "loop", "if"))
            if fits(second, callee, place):
                call(second, callee, place)


def _function(rng: random.Random, name: str, file: int, *, static: bool) -> Function:
    params = rng.sample(sorted(PARAMETERS), rng.randint(1, 3))
    returns = rng.choice(("int", "int", "long", "void"))
    return Function(name, file, static, returns, params)


def _source(rng: random.Random, seed: int, index: int, functions: list[Function]) -> str:
    mine = [f for f in functions if f.file == index]
    out = Writer(rng)
    name = "main.c" if index == 0 else f"part{index}.c"
    out.line(f"/* {name}: generated by tests/programs/generate.py from seed {seed}. */")
    out.line("#include <stdio.h>")
    out.line("")
    for text in STRUCT:
        out.line(text)
    out.line("")
    if index == 0:
        out.line("int calls_made = 0;")
        out.line("static long grand_total;")
    else:
        out.line("extern int calls_made;")
    out.line("")
    for function in functions[1:]:
        if not function.static or function.file == index:
            out.line(function.signature + ";")
    for function in mine:
        out.line("")
        _define(out, function)
    # Lines after the last line with code: a breakpoint there has nowhere to go.
    out.line("")
    out.line(f"/* end of {name} */")
    return "\n".join(out.lines) + "\n"


def _define(out: Writer, function: Function) -> None:
    rng = out.rng
    if rng.random() < 0.5:
        out.open(function.signature)
    else:
        out.line(function.signature)
        out.line("{")
        out.depth += 1
    _locals(out, function)
    if function.recursive:
        out.open("if (depth <= 0)")
        out.line("return" + ("" if function.returns == "void" else " count") + ";")
        out.close()
    blocks = [_call_block(out, site) for site in function.calls]
    blocks += [_filler(out) for _ in range(rng.randint(1, 3))]
    if function.recursive:
        blocks.append(_recursive_call(function))
    rng.shuffle(blocks)
    for block in blocks:
        out.gap()
        for text in block:
            out.line(text)
    out.gap()
    if function.name == "main":
        out.line("grand_total = total + calls_made;")
        out.line('printf("calls made: %d\\n", calls_made);')
        out.line('printf("grand total: %ld\\n", grand_total);')
        out.line("return 0;")
    elif function.file != 0 and not function.static and function.params:
        out.line(f'printf("{function.name}: %ld\\n", total);')
    if function.name != "main":
        _return(out, function)
    out.close()


def _locals(out: Writer, function: Function) -> None:
    """The same five locals everywhere, so any call can find arguments of every kind."""
    rng = out.rng
    lines = [
        f"int count = {_seed_expression(function, rng)};",
        f"long total = {rng.randint(1, 9)}L;",
        f"char tag = '{rng.choice('abcdefgh')}';",
        "int slot;",
        "struct pair cell = { 1, 2L, 'c' };",
    ]
    if rng.random() < 0.5:
        lines[-1] = "struct pair cell = {\n    count,\n    total,\n    tag\n};"
    for text in lines:
        for part in text.split("\n"):
            out.line(part)
    out.line("int *cursor = &count;")
    out.gap()
    if function.name != "main":
        out.line("calls_made++;")
    out.line(f"slot = count * {rng.randint(2, 5)};")
    for param in function.params:
        out.line({
            "n": "count += n % 7;",
            "weight": "total += weight % 100;",
            "mark": "tag = mark;",
            "out": "*out += 1;",
            "pp": "pp->a += 1;",
            "pv": "total += pv.a + pv.b;",
        }[param])


def _seed_expression(function: Function, rng: random.Random) -> str:
    if "n" in function.params:
        return "n % 5 + 1"
    return str(rng.randint(1, 6))


def _arguments(callee: Function, rng: random.Random, depth: str = "2") -> str:
    values = [PARAMETERS[p][1].format(k=rng.randint(0, 3)) for p in callee.params]
    if callee.recursive:
        values.insert(0, depth)
    return ", ".join(values)


def _call_block(out: Writer, site: CallSite) -> list[str]:
    """The lines of one call site, in one of several shapes a line table must describe."""
    rng = out.rng
    callee = site.callee
    call = f"{callee.name}({_arguments(callee, rng, str(rng.randint(1, 3)))})"
    if callee.returns == "void":
        statement = [call + ";"]
    else:
        statement = rng.choice((
            [f"total += {call};"],
            [f"total = total * 2 + {call}", "        - count;"],
            [f"slot = (int)({call} % 50);"],
        ))
        if len(call) > 40 and rng.random() < 0.5:
            head, _, rest = call.partition(", ")
            statement = [f"total += {head},", f"         {rest};"]
    if site.place == "loop":
        if rng.random() < 0.5:
            counter = out.fresh("i")
            return [f"for (int {counter} = 0; {counter} < 3; {counter}++) {{",
                    *(f"    {s}" for s in statement), "}"]
        left = out.fresh("left")
        return [f"int {left} = 3;", f"while ({left} > 0) {{", *(f"    {s}" for s in statement),
                f"    {left}--;", "}"]
    if site.place == "if":
        return ["if (count % 2 == 0) {", *(f"    {s}" for s in statement), "} else {",
                "    slot -= 1;", "}"]
    return statement


def _filler(out: Writer) -> list[str]:
    """A few statements with no calls, for lines and branches that are not calls."""
    rng = out.rng
    kind = rng.randrange(6)
    if kind == 0:
        counter = out.fresh("j")
        return [f"for (int {counter} = 0; {counter} < 2; {counter}++)", "{",
                f"    total += {counter} * count;", "    cell.a += 1;", "}"]
    if kind == 1:
        return ["if (total > 10", "    && count % 2 == 1) {", "    tag = 'x';", "}",
                "else", "{", "    cell.b = total;", "    *cursor += 1;", "}"]
    if kind == 2:
        return ["total = total * 3", "        + count", "        - slot;"]
    if kind == 3:
        return ["cell.tag = tag;", "cell.a = cell.a % 9 + (int)(cell.b % 4);"]
    if kind == 4:
        left = out.fresh("k")
        return [f"int {left};", f"{left} = 2;", f"while ({left}--)", f"    slot += {left};"]
    return ["if (slot > 3) { slot = slot / 2; } else { slot += 3; }"]


def _recursive_call(function: Function) -> list[str]:
    arguments = ", ".join(PARAMETERS[p][1].format(k=1) for p in function.params)
    call = f"{function.name}(depth - 1, {arguments})"
    if function.returns == "void":
        return [call + ";"]
    return [f"total += {call};"]


def _return(out: Writer, function: Function) -> None:
    if function.returns == "int":
        out.line("return (int)(total % 1000) + slot % 3;")
    elif function.returns == "long":
        out.line("return total % 1000 + count;")


if __name__ == "__main__":
    for written in generate(int(sys.argv[1]), Path(sys.argv[2])):
        print(written)
