"""A seeded generator of C programs about types, for comparing deet's ``print`` with gdb's.

Each program declares enums (plain, flag-like, negative), structs with nested structs,
arrays, pointers and bit-fields, a union, typedefs; then functions whose parameters and
locals have those types and varied values (negative, unsigned, non-printable chars,
doubles and floats of several magnitudes, strings, null and live pointers). Every
function ends on a line the test breaks at, where every variable is initialised.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass
class Stop:
    function: str
    line: int
    names: list[str] = field(default_factory=list)


@dataclass
class Program:
    source: str
    stops: list[Stop]


_INTS = [
    ("char", lambda r: r.choice(["'a'", "'Z'", "'\\n'", "0", "-56", "127", "'\\''", "'\"'"])),
    ("signed char", lambda r: str(r.randint(-128, 127))),
    ("unsigned char", lambda r: str(r.randint(0, 255))),
    ("short", lambda r: str(r.randint(-32768, 32767))),
    ("unsigned short", lambda r: str(r.randint(0, 65535))),
    ("int", lambda r: str(r.choice([0, 1, -1, 42, -2147483647, 2147483647, r.randint(-999, 999)]))),
    ("unsigned int", lambda r: f"{r.choice([0, 7, 4000000000, 4294967295])}u"),
    ("long", lambda r: f"{r.choice([-1, 9000000000, -9000000000, r.randint(-99, 99)])}L"),
    ("unsigned long", lambda r: f"{r.choice([0, 18446744073709551615, 12345])}UL"),
    ("long long", lambda r: f"{r.randint(-(2**62), 2**62)}LL"),
    ("_Bool", lambda r: r.choice(["0", "1"])),
]
_FLOATS = [
    ("double", lambda r: r.choice(["0.1", "-2.5", "1e300", "1e-5", "100.0", "3.14159", "-0.0",
                                   "123456789.125", "2.0/3.0"])),
    ("float", lambda r: r.choice(["0.1f", "-2.5f", "1e30f", "3.0f", "1.1f", "16777217.0f"])),
]
_SCALARS = _INTS + _FLOATS
_NAMES = ["NULL", '"name"']
_STRINGS = ["NULL", '"text"', '""']


class _Generator:
    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        self.lines: list[str] = ["#include <stddef.h>", "", "volatile int sink;"]
        self.types: list[tuple[str, callable]] = list(_SCALARS)
        self.stops: list[Stop] = []
        self.calls: list[str] = []

    def emit(self, text: str = "") -> int:
        self.lines.append(text)
        return len(self.lines)

    def declare_types(self) -> None:
        r = self.random
        enums = [
            ("plain", ["RED", "GREEN", "BLUE"], [0, 1, 2]),
            ("flags", ["FA", "FB", "FC"], [1, 2, 8]),
            ("signs", ["NEG", "ZERO", "POS"], [-3, 0, 3]),
        ]
        for name, names, values in enums:
            body = ", ".join(f"{n} = {v}" for n, v in zip(names, values, strict=True))
            self.emit(f"enum {name} {{ {body} }};")
            choices = [*names, str(r.randint(3, 15)), "0"]
            self.types.append((f"enum {name}", lambda r, c=choices: r.choice(c)))
        self.emit("typedef struct point { int x; int y; } point_t;")
        self.types.append(("point_t", lambda r: f"{{{r.randint(-9, 9)}, {r.randint(-9, 9)}}}"))
        self.emit("struct inner { short s; double d; char tag[4]; };")
        self.emit("struct outer { struct inner in; point_t pts[2]; unsigned flags : 3;"
                  " int level : 5; enum plain color; const char *name; };")
        self.types.append(("struct outer", lambda r: (
            f"{{{{{r.randint(-99, 99)}, {r.choice(['0.5', '-1e10', '2.25'])}, "
            f"\"{r.choice(['ab', 'xyz', ''])}\"}}, {{{{1, 2}}, {{{r.randint(-5, 5)}, 0}}}}, "
            f"{r.randint(0, 7)}, {r.randint(-16, 15)}, {r.choice(['RED', 'BLUE'])}, "
            f"{r.choice(_NAMES)}}}"
        )))
        self.emit("union number { int i; float f; unsigned char bytes[4]; };")
        self.types.append(("union number", lambda r: f"{{{r.randint(-1000, 1000)}}}"))
        self.emit("typedef unsigned long size_type;")
        self.types.append(("size_type", lambda r: f"{r.randint(0, 10**12)}UL"))
        self.emit()

    def array(self) -> tuple[str, str, str]:
        r = self.random
        base, make = r.choice(_SCALARS + self.types[len(_SCALARS):len(_SCALARS) + 4])
        count = r.choice([2, 3, 5, 12, 16])
        if base == "char" and r.random() < 0.7:
            text = r.choice(["hello", "", "a\\tb", "x" * (count - 1)])[: count - 1]
            return base, f"[{count}]", f'"{text}"'
        if r.random() < 0.4:
            values = ", ".join(make(r) for _ in range(r.randint(1, 2)))
        else:
            values = ", ".join(make(r) for _ in range(count))
        return base, f"[{count}]", f"{{{values}}}"

    def function(self, index: int) -> None:
        r = self.random
        name = f"f{index}"
        params = []
        for p in range(r.randint(1, 3)):
            type_, make = r.choice(self.types)
            value = make(r)
            if value.startswith("{"):
                value = f"({type_}){value}"
            params.append((type_, f"p{p}", value))
        signature = ", ".join(f"{t} {n}" for t, n, _ in params)
        self.emit(f"void {name}({signature}) {{")
        names = [n for _, n, _ in params]
        declared: list[tuple[str, str]] = []
        for v in range(r.randint(3, 7)):
            local = f"v{v}"
            kind = r.random()
            if kind < 0.5:
                type_, make = r.choice(self.types)
                self.emit(f"    {type_} {local} = {make(r)};")
                declared.append((type_, local))
            elif kind < 0.7:
                base, dims, init = self.array()
                self.emit(f"    {base} {local}{dims} = {init};")
            elif kind < 0.85 and declared:
                type_, target = r.choice(declared)
                self.emit(f"    {type_} *{local} = &{target};")
            else:
                self.emit(f"    const char *{local} = {r.choice(_STRINGS)};")
            names.append(local)
        stop = self.emit("    sink = 0;")
        self.emit("}")
        self.emit()
        self.stops.append(Stop(name, stop, names))
        self.calls.append(f"    {name}({', '.join(value for _, _, value in params)});")

    def program(self, functions: int) -> Program:
        self.declare_types()
        for index in range(functions):
            self.function(index)
        self.emit("int main(void) {")
        for call in self.calls:
            self.emit(call)
        self.emit("    return 0;")
        self.emit("}")
        return Program("\n".join(self.lines) + "\n", self.stops)


def generate(seed: int, functions: int = 5) -> Program:
    return _Generator(seed).program(functions)
