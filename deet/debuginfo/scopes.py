"""The functions, nested blocks, inlined calls and variables of one compilation unit.

A CU is read the first time a pc in it (or one of its globals) is asked about, and kept:
its subprograms with their address ranges, frame base and return type, their lexical
blocks, the calls inlined into them, and the CU-level variables. Start-up never walks DIEs.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from elftools.dwarf.compileunit import CompileUnit
from elftools.dwarf.die import DIE
from elftools.dwarf.dwarfinfo import DWARFInfo

from deet.debuginfo.dies import Range, UnitReader, attribute, decode, die_name, frame_name
from deet.debuginfo.expressions import Description, LocationList
from deet.debuginfo.types import FunctionType, Type


@dataclass(frozen=True)
class Variable:
    name: str
    type: Type
    location: Description
    is_parameter: bool = False


@dataclass(frozen=True)
class InlinedCall:
    """An inlined body: the function inlined (named as gdb names frames), where its code
    is, and the call it stands for. ``entry``: gdb's rule, the start of its first range as
    listed (gdb ignores DW_AT_entry_pc, and gcc's often points at an empty range)."""

    name: str
    ranges: tuple[Range, ...]
    call_file: str | None
    call_line: int | None

    @property
    def entry(self) -> int:
        return self.ranges[0][0]

    def __contains__(self, address: int) -> bool:
        return any(low <= address < high for low, high in self.ranges)


@dataclass(frozen=True)
class CallSite:
    """A call the compiler described (``DW_TAG_call_site``): where it returns to, whether
    it is a tail call (a jump: the caller's frame is gone), and what it calls, by entry
    address when the callee is defined in this CU, else by name."""

    return_pc: int
    tail: bool
    target: int | None
    target_name: str | None


@dataclass
class Block:
    """A lexical scope: the variables declared in it and the blocks nested in it."""

    ranges: list[Range]
    variables: list[Variable] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)

    def __contains__(self, address: int) -> bool:
        return any(low <= address < high for low, high in self.ranges)

    def chain(self, address: int) -> list[Block]:
        """This block and the nested ones holding ``address``, innermost first."""
        for block in self.blocks:
            if address in block:
                return [*block.chain(address), self]
        return [self]


@dataclass
class Function(Block):
    """``frame_name``: the name gdb gives the function's frames, the linkage name when
    there is one (glibc's ``__GI___clock_nanosleep``); ``inlined``: the calls inlined into
    it, each before the calls inlined into it in turn."""

    name: str = "??"
    frame_name: str = "??"
    frame_base: Description = None
    type: FunctionType | None = None
    inlined: list[InlinedCall] = field(default_factory=list)
    call_sites: list[CallSite] = field(default_factory=list)

    def inline_chain(self, address: int) -> list[InlinedCall]:
        """The inlined calls active at ``address``, outermost first."""
        return [call for call in self.inlined if address in call]

    @property
    def entry(self) -> int:
        return min(low for low, _ in self.ranges)

    @property
    def parameters(self) -> list[Variable]:
        return [v for v in self.variables if v.is_parameter]


@dataclass(frozen=True)
class Scope:
    """What is visible at one pc: the blocks from innermost out to the function, and the
    CU's own globals and statics."""

    function: Function
    blocks: tuple[Block, ...]
    unit: UnitScopes

    def lookup(self, name: str) -> Variable | None:
        for block in self.blocks:
            for variable in reversed(block.variables):
                if variable.name == name:
                    return variable
        return self.unit.globals.get(name)

    def locals(self) -> list[Variable]:
        """Locals as gdb's ``info locals`` lists them: innermost block first."""
        return [v for block in self.blocks for v in block.variables if not v.is_parameter]


class UnitScopes:
    def __init__(self, dwarf: DWARFInfo, cu: CompileUnit, files: dict[int, str]) -> None:
        self.reader = UnitReader(dwarf, cu)
        self._files = files
        self.functions: list[Function] = []
        self.globals: dict[str, Variable] = {}
        # gdb's "locations valid": gcc (4.5 on) wrote location lists, so variables are
        # right from a function's first instruction (and breakpoints go there).
        self.locations_valid = False
        producer = cu.get_top_DIE().attributes.get("DW_AT_producer")
        self._gcc = (decode(producer.value) if producer else "").startswith("GNU ")
        for die in cu.get_top_DIE().iter_children():
            if die.tag == "DW_TAG_subprogram":
                self._add_function(die)
            elif die.tag == "DW_TAG_variable":
                self._add_global(die)
        self.functions.sort(key=lambda f: f.entry)
        self._entries = [f.entry for f in self.functions]

    def _add_function(self, die: DIE) -> None:
        name = die_name(die)
        ranges = self.reader.ranges(die)
        if not ranges:
            return
        function = Function(
            ranges,
            name=name or "??",
            frame_name=frame_name(die) or "??",
            frame_base=self.reader.location(die, "DW_AT_frame_base"),
            type=self.reader.function_type(die),
        )
        self._fill(function, die, function)
        self.functions.append(function)

    def _fill(self, block: Block, die: DIE, function: Function) -> None:
        for child in die.iter_children():
            if child.tag in ("DW_TAG_formal_parameter", "DW_TAG_variable"):
                variable = self._variable(child, child.tag == "DW_TAG_formal_parameter")
                if variable is not None:
                    block.variables.append(variable)
            elif child.tag == "DW_TAG_lexical_block":
                nested = Block(self.reader.ranges(child))
                self._fill(nested, child, function)
                if nested.ranges:
                    block.blocks.append(nested)
            elif child.tag == "DW_TAG_inlined_subroutine":
                self._add_inlined(child, function)
            elif child.tag in ("DW_TAG_call_site", "DW_TAG_GNU_call_site"):
                self._add_call_site(child, function)

    def _add_call_site(self, die: DIE, function: Function) -> None:
        """DWARF 5 and the GNU extension before it name the same things differently."""
        attributes = die.attributes
        returns = attributes.get("DW_AT_call_return_pc") or attributes.get("DW_AT_low_pc")
        if returns is None:
            return
        tail = bool(attribute(die, "DW_AT_call_tail_call")
                    or attribute(die, "DW_AT_GNU_tail_call"))
        target = name = None
        for key in ("DW_AT_call_origin", "DW_AT_abstract_origin"):
            if key in attributes:
                callee = die.get_DIE_from_attribute(key)
                low = callee.attributes.get("DW_AT_low_pc")
                target = low.value if low is not None else None
                name = frame_name(callee)
                break
        function.call_sites.append(CallSite(returns.value, tail, target, name))

    def _add_inlined(self, die: DIE, function: Function) -> None:
        """Record an inlined call, then the calls inlined inside it (its own variables
        are not the enclosing function's)."""
        ranges = tuple(self.reader.ranges(die))
        if ranges:
            file_index = die.attributes.get("DW_AT_call_file")
            line = die.attributes.get("DW_AT_call_line")
            function.inlined.append(InlinedCall(
                frame_name(die) or "??", ranges,
                self._files.get(file_index.value) if file_index else None,
                line.value if line else None,
            ))
        self._fill(Block([]), die, function)

    def _variable(self, die: DIE, is_parameter: bool) -> Variable | None:
        name = die_name(die)
        declared_elsewhere = attribute(die, "DW_AT_declaration") and (
            "DW_AT_location" not in die.attributes
        )
        if name is None or declared_elsewhere:
            return None
        location = self.reader.location(die)
        if isinstance(location, LocationList) and self._gcc:
            self.locations_valid = True
        return Variable(name, self.reader.type_of(die), location, is_parameter)

    def _add_global(self, die: DIE) -> None:
        name = die_name(die)
        if name is None:
            return
        if "DW_AT_location" in die.attributes or "DW_AT_const_value" in die.attributes:
            self.globals[name] = Variable(name, self.reader.type_of(die), self.reader.location(die))

    def inlined_named(self, name: str) -> list[InlinedCall]:
        return [call for f in self.functions for call in f.inlined if call.name == name]

    def function_at(self, address: int) -> Function | None:
        index = bisect.bisect_right(self._entries, address) - 1
        for function in reversed(self.functions[: index + 1]):
            if address in function:
                return function
        return next((f for f in self.functions if address in f), None)

    def scope_at(self, address: int) -> Scope | None:
        function = self.function_at(address)
        if function is None:
            return None
        return Scope(function, tuple(function.chain(address)), self)
