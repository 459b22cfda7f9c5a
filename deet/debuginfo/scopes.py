"""The functions, nested blocks, inlined calls and variables of one compilation unit.

A CU is read the first time a pc in it (or one of its globals) is asked about, and kept:
its subprograms with their address ranges and names, from deet's skim of the top-level
DIEs (unitfunctions.py); its globals and named types when one is first asked for
(filescope.py). A function's own DIEs (its frame base and return type, lexical blocks,
variables, the calls inlined into it and its call sites) are read when that function is
first asked about: a frame in a CU of 500 functions needs one. Start-up never walks
DIEs.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field

from elftools.dwarf.compileunit import CompileUnit
from elftools.dwarf.die import DIE
from elftools.dwarf.dwarfinfo import DWARFInfo

from deet.debuginfo.dies import Range, UnitReader, attribute, decode, die_name, frame_name
from deet.debuginfo.expressions import ConstValue, Description, Ops
from deet.debuginfo.filescope import FileScope, type_reader
from deet.debuginfo.gdbhash import block_symbols, hashed_order
from deet.debuginfo.inlinefacts import InlineFacts, scan
from deet.debuginfo.types import UNSIGNED_LONG, FunctionType, Type
from deet.debuginfo.unitfunctions import unit_functions
from deet.debuginfo.variables import Variable


@dataclass(frozen=True)
class CallSite:
    """A call the compiler described (``DW_TAG_call_site``): where it returns to, whether
    it is a tail call (a jump: the caller's frame is gone), and what it calls, by entry
    address when the callee is defined in this CU, else by name."""

    return_pc: int
    tail: bool
    target: int | None
    target_name: str | None
    # Each parameter's place at the callee's entry (DW_AT_location, a register or a stack
    # slot) and the expression that gives, in the caller's frame, what was passed there.
    parameters: tuple[tuple[Ops, Ops], ...] = ()
    # For a call through a pointer: how to compute, in the caller, what it called.
    target_expression: Ops | None = None

    def passed(self, place: Ops) -> Ops | None:
        """How to compute, in the caller, the value passed in ``place``."""
        for where, value in self.parameters:
            if where == place:
                return value
        return None


@dataclass(eq=False)
class Block:
    """A lexical scope: the variables declared in it and the scopes nested in it (lexical
    blocks, and calls inlined there, which are scopes of their own)."""

    ranges: list[Range]
    variables: list[Variable] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    # A lexical block's number of symbols in gdb's hashed dictionary, which orders its
    # variables (``gdbhash.py``); 0: listed in declaration order, as a function's.
    symbols: int = 0

    def __contains__(self, address: int) -> bool:
        return any(low <= address < high for low, high in self.ranges)

    def chain(self, address: int) -> list[Block]:
        """This block and the nested ones holding ``address``, innermost first."""
        for block in self.blocks:
            if address in block:
                return [*block.chain(address), self]
        return [self]

    @property
    def parameters(self) -> list[Variable]:
        return [v for v in self.variables if v.is_parameter]

    def listed(self) -> list[Variable]:
        """The variables in the order gdb lists them."""
        if not self.symbols:
            return self.variables
        return hashed_order(self.variables, lambda variable: variable.name, self.symbols)


@dataclass(eq=False)
class InlinedCall(Block):
    """An inlined body: the function inlined (named as gdb names frames), where its code
    is, the call it stands for, and its own parameters and locals (a frame of its own, to
    gdb). ``entry``: gdb's rule, the start of its first range as listed (gdb ignores
    DW_AT_entry_pc, and gcc's often points at an empty range)."""

    name: str = "??"
    call_file: str | None = None
    call_line: int | None = None
    type: FunctionType | None = None

    @property
    def entry(self) -> int:
        return self.ranges[0][0]

    def _identity(self) -> tuple:
        return self.name, tuple(self.ranges), self.call_file, self.call_line

    def __eq__(self, other: object) -> bool:
        """The same inlined call: the same function inlined at the same code, whatever
        of its contents has been read."""
        return isinstance(other, InlinedCall) and self._identity() == other._identity()

    def __hash__(self) -> int:
        return hash(self._identity())


@dataclass(eq=False)
class Function(Block):
    """``frame_name``: the name gdb gives the function's frames, the linkage name when
    there is one (glibc's ``__GI___clock_nanosleep``); ``inlined``: every call inlined
    into it, at any depth, each before the calls inlined into it in turn."""

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
        """gdb's entry pc: the start of the first range as listed, which is not the
        lowest address when gcc moved the function's cold part (``f.cold``) below it."""
        return self.ranges[0][0]

    @property
    def lowest(self) -> int:
        return min(low for low, _ in self.ranges)


@dataclass(frozen=True)
class Scope:
    """What one frame sees at one pc: the blocks from innermost out to the frame's own
    function (``subprogram``: the out-of-line ``function``, or a call inlined in it),
    and the CU's own globals and statics. ``function`` is the code's out-of-line function
    whichever frame this is: its frame base locates the variables of all of them."""

    function: Function
    subprogram: Function | InlinedCall
    blocks: tuple[Block, ...]
    unit: UnitScopes

    def lookup(self, name: str) -> Variable | None:
        for block in self.blocks:
            for variable in reversed(block.variables):
                if variable.name == name and not variable.label:
                    return variable
        return self.unit.globals.get(name)

    @property
    def parameters(self) -> list[Variable]:
        return self.subprogram.parameters

    def variable_at_die(self, offset: int) -> Variable | None:
        """The variable (of this function, at any depth, or of the CU) whose DIE is at
        ``offset``: what a DW_OP_implicit_pointer points to."""
        pending: list[Block] = [self.function]
        while pending:
            block = pending.pop()
            for variable in block.variables:
                if variable.die == offset:
                    return variable
            pending.extend(block.blocks)
        return next((v for v in self.unit.globals.values() if v.die == offset), None)

    def locals(self) -> list[Variable]:
        """Locals as gdb's ``info locals`` lists them: innermost block first. A constant
        the compiler gave as bytes (a ``DW_AT_const_value`` block: an optimised
        ``__PRETTY_FUNCTION__``) is not among them in gdb (LOC_CONST_BYTES), though
        ``print`` finds it; an integer constant is."""
        return [v for block in self.blocks for v in block.listed()
                if not v.is_parameter and not (isinstance(v.location, ConstValue)
                                               and isinstance(v.location.value, bytes))]


class UnitScopes:
    """``functions``: the CU's out-of-line functions, by entry, named from the skim of
    its top-level DIEs where it can (unitfunctions.py); ``file_scope``: its globals and
    named types, read when first asked for."""

    def __init__(self, dwarf: DWARFInfo, cu: CompileUnit, files: dict[int, str]) -> None:
        self.reader = UnitReader(dwarf, cu)
        self._files = files
        self.functions: list[Function] = []
        # A function's DIE, or its offset until it is first read.
        self._dies: dict[Function, DIE | int] = {}
        self._unread: set[Function] = set()
        self._facts: InlineFacts | None = None
        producer = cu.get_top_DIE().attributes.get("DW_AT_producer")
        self._gcc = (decode(producer.value) if producer else "").startswith("GNU ")
        self.file_scope = FileScope(self.reader)
        skimmed = unit_functions(dwarf, cu)
        if skimmed is None:
            for die in cu.get_top_DIE().iter_children():
                if die.tag == "DW_TAG_subprogram":
                    self._add_function(die)
        for found in skimmed or ():
            if found.settled:
                self._add(Function(list(found.ranges), name=found.name or "??",
                                   frame_name=found.frame_name or "??"), found.offset)
            else:
                self._add_function(cu.get_DIE_from_refaddr(found.offset))
        self.functions.sort(key=lambda f: f.lowest)
        self._entries = [f.lowest for f in self.functions]

    @property
    def globals(self) -> dict[str, Variable]:
        return self.file_scope.globals

    def _add_function(self, die: DIE) -> None:
        ranges = self.reader.ranges(die)
        if ranges:
            self._add(Function(ranges, name=die_name(die) or "??",
                               frame_name=frame_name(die) or "??"), die)

    def _add(self, function: Function, die: DIE | int) -> None:
        self.functions.append(function)
        self._dies[function] = die
        self._unread.add(function)

    def _die(self, function: Function) -> DIE:
        die = self._dies[function]
        if isinstance(die, int):
            die = self._dies[function] = self.reader.cu.get_DIE_from_refaddr(die)
        return die

    def _read(self, function: Function) -> Function:
        """``function`` with its frame base, type, blocks, variables, inlined calls and
        call sites."""
        if function in self._unread:
            # Read into a copy, so that DIEs that fail to read (damaged, or too deep)
            # fail again at the next question instead of leaving half a function.
            die = self._die(function)
            read = Function(function.ranges, name=function.name,
                            frame_name=function.frame_name)
            read.frame_base = self.reader.location(die, "DW_AT_frame_base")
            read.type = self.reader.function_type(die)
            self._fill(read, die, read)
            function.frame_base, function.type = read.frame_base, read.type
            function.variables, function.blocks = read.variables, read.blocks
            function.inlined, function.call_sites = read.inlined, read.call_sites
            self._unread.discard(function)
        return function

    @property
    def locations_valid(self) -> bool:
        """gdb's "locations valid": gcc (4.5 on) wrote location lists, so variables are
        right from a function's first instruction (and breakpoints go there)."""
        return self.facts.locations_valid

    @property
    def facts(self) -> InlineFacts:
        if self._facts is None:
            self._facts = self._scan()
        return self._facts

    @facts.setter
    def facts(self, known: InlineFacts) -> None:
        self._facts = known

    def _scan(self) -> InlineFacts:
        return scan(self.reader.dwarf, self.reader,
                    [self.die_offset(function) for function in self.functions], self._gcc)

    def die_offset(self, function: Function) -> int:
        die = self._dies[function]
        return die if isinstance(die, int) else die.offset

    def _fill(self, block: Block, die: DIE, function: Function) -> None:
        for child in die.iter_children():
            if child.tag in ("DW_TAG_formal_parameter", "DW_TAG_variable"):
                variable = self._variable(child, child.tag == "DW_TAG_formal_parameter")
                if variable is not None:
                    block.variables.append(variable)
            elif child.tag == "DW_TAG_lexical_block":
                ranges = self.reader.ranges(child)
                if not ranges:
                    # gdb's rule for a block without pc bounds: its contents belong to
                    # the enclosing block.
                    self._fill(block, child, function)
                    continue
                nested = Block(ranges, symbols=block_symbols(child))
                self._fill(nested, child, function)
                block.blocks.append(nested)
            elif child.tag == "DW_TAG_inlined_subroutine":
                self._add_inlined(child, block, function)
            elif child.tag in ("DW_TAG_call_site", "DW_TAG_GNU_call_site"):
                self._add_call_site(child, function)
            elif child.tag == "DW_TAG_enumeration_type":
                self._add_enumerators(block, child)
            elif child.tag == "DW_TAG_label":
                self._add_dropped_label(block, child)
        self._inherit(block, die)

    def _add_dropped_label(self, block: Block, die: DIE) -> None:
        """gdb makes a label without an address an optimized-out symbol, which ``info
        locals`` lists (CPython's ``exception_unwind`` at -O2); one with an address it
        does not list, and the address may be its abstract origin's (an inlined copy)."""
        name = die_name(die)
        if name is not None and attribute(die, "DW_AT_low_pc") is None:
            block.variables.append(Variable(name, UNSIGNED_LONG, None, die=die.offset,
                                            label=True))

    def _add_enumerators(self, block: Block, die: DIE) -> None:
        """An enum declared in a function: gdb lists its constants with the block's
        locals (``RED = RED``), and they are found there first by name."""
        for child in die.iter_children():
            name = die_name(child)
            if child.tag == "DW_TAG_enumerator" and name is not None:
                block.variables.append(Variable(name, lambda: self.reader.type_at(die),
                                                self.reader.location(child), die=child.offset))

    def _inherit(self, block: Block, die: DIE) -> None:
        """gdb's inherit_abstract_dies: a concrete copy of a function (inlined, or out of
        line at -O2) may leave out parameters and locals the compiler dropped; those of
        its abstract origin that no concrete child stands for are there too, with no
        location (``<optimized out>``)."""
        if "DW_AT_abstract_origin" not in die.attributes:
            return
        abstract = die.get_DIE_from_attribute("DW_AT_abstract_origin")
        covered = set()
        for child in die.iter_children():
            if "DW_AT_abstract_origin" in child.attributes:
                covered.add(child.get_DIE_from_attribute("DW_AT_abstract_origin").offset)
        self._add_abstract(block, abstract, covered)

    def _add_abstract(self, block: Block, abstract: DIE, covered: set[int]) -> None:
        """The abstract children no concrete one stands for. A lexical block of the
        abstract origin has no pc bounds, so (gdb's rule) its variables join ``block``.
        Only a static local has a location there (its address), which every copy shares."""
        for child in abstract.iter_children():
            if child.offset in covered:
                continue
            if child.tag in ("DW_TAG_formal_parameter", "DW_TAG_variable"):
                name = die_name(child)
                if name is not None:
                    block.variables.append(Variable(
                        name, self._type_reader(child), self.reader.location(child),
                        child.tag == "DW_TAG_formal_parameter", child.offset))
            elif child.tag == "DW_TAG_label":
                self._add_dropped_label(block, child)
            elif child.tag == "DW_TAG_lexical_block":
                self._add_abstract(block, child, covered)

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
        parameters = []
        for child in die.iter_children():
            if child.tag not in ("DW_TAG_call_site_parameter",
                                 "DW_TAG_GNU_call_site_parameter"):
                continue
            where = self.reader.location(child)
            if where is None and "DW_AT_call_parameter" in child.attributes:
                # A parameter the callee dropped from its registers: its location there
                # is a DW_OP_GNU_parameter_ref to this DIE (gcc's IPA-SRA).
                named = child.get_DIE_from_attribute("DW_AT_call_parameter").offset
                where = (("DW_OP_GNU_parameter_ref", (named,)),)
            value = (self.reader.location(child, "DW_AT_call_value")
                     or self.reader.location(child, "DW_AT_GNU_call_site_value"))
            if isinstance(where, tuple) and isinstance(value, tuple):
                parameters.append((where, value))
        computed = (self.reader.location(die, "DW_AT_call_target")
                    or self.reader.location(die, "DW_AT_GNU_call_site_target"))
        function.call_sites.append(CallSite(
            returns.value, tail, target, name, tuple(parameters),
            computed if isinstance(computed, tuple) else None))

    def _add_inlined(self, die: DIE, block: Block, function: Function) -> None:
        """Record an inlined call as a scope inside ``block``, then what is inside it:
        its own variables and blocks, and the calls inlined inside it in turn."""
        ranges = self.reader.ranges(die)
        file_index = die.attributes.get("DW_AT_call_file")
        line = die.attributes.get("DW_AT_call_line")
        abstract = die.get_DIE_from_attribute("DW_AT_abstract_origin") if (
            "DW_AT_abstract_origin" in die.attributes) else None
        call = InlinedCall(
            ranges, name=frame_name(die) or "??",
            call_file=self._files.get(file_index.value) if file_index else None,
            call_line=line.value if line else None,
            type=self.reader.function_type(abstract) if abstract is not None else None,
        )
        if ranges:
            function.inlined.append(call)
            block.blocks.append(call)
        self._fill(call, die, function)
        if not ranges:
            # No code of its own: the calls inlined inside it are the enclosing block's.
            block.blocks.extend(call.blocks)

    def _variable(self, die: DIE, is_parameter: bool) -> Variable | None:
        name = die_name(die)
        declared_elsewhere = attribute(die, "DW_AT_declaration") and (
            "DW_AT_location" not in die.attributes
        )
        if name is None or declared_elsewhere:
            return None
        return Variable(name, self._type_reader(die), self.reader.location(die),
                        is_parameter, die.offset)

    def _type_reader(self, die: DIE) -> Callable[[], Type]:
        return type_reader(self.reader, die)

    def enumerator(self, name: str) -> tuple[Type, int] | None:
        """The enum type and value of the enumerator ``name`` (``BLUE``)."""
        return self.file_scope.enumerator(name)

    def named_type(self, kind: str, name: str) -> Type | None:
        """The file-scope type ``kind name`` (``struct node``, typedef ``node_t``)."""
        return self.file_scope.named_type(kind, name)

    def inlined_named(self, name: str) -> list[InlinedCall]:
        """Where ``name`` was inlined: only functions the scan saw inline something are
        read, and none when the scan saw no call of ``name``."""
        facts = self.facts
        if name not in facts.names:
            return []
        return [call for f, inlines in zip(self.functions, facts.has_inlined, strict=True)
                if inlines for call in self._read(f).inlined if call.name == name]

    def function_at(self, address: int) -> Function | None:
        index = bisect.bisect_right(self._entries, address) - 1
        for function in reversed(self.functions[: index + 1]):
            if address in function:
                return self._read(function)
        found = next((f for f in self.functions if address in f), None)
        return self._read(found) if found is not None else None

    def scopes_at(self, address: int) -> list[Scope]:
        """One scope per frame at ``address``, innermost first: each call inlined there
        (innermost first), then the out-of-line function. Empty outside every function."""
        function = self.function_at(address)
        if function is None:
            return []
        scopes = []
        blocks: list[Block] = []
        for block in function.chain(address):
            blocks.append(block)
            if isinstance(block, InlinedCall | Function):
                scopes.append(Scope(function, block, tuple(blocks), self))
                blocks = []
        return scopes

    def scope_at(self, address: int) -> Scope | None:
        """The innermost frame's scope at ``address``."""
        scopes = self.scopes_at(address)
        return scopes[0] if scopes else None
