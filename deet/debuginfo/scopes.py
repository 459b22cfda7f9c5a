"""The functions, nested blocks, inlined calls and variables of one compilation unit.

A CU is read the first time a pc in it (or one of its globals) is asked about, and kept:
its subprograms with their address ranges, frame base and return type, and the CU-level
variables. A function's own DIEs (its lexical blocks, variables, the calls inlined into
it and its call sites) are read when that function is first asked about: a frame in a
CU of 500 functions needs one. Start-up never walks DIEs.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field

from elftools.dwarf.compileunit import CompileUnit
from elftools.dwarf.die import DIE
from elftools.dwarf.dwarfinfo import DWARFInfo

from deet.debuginfo.dies import Range, UnitReader, attribute, decode, die_name, frame_name
from deet.debuginfo.expressions import Description, Ops
from deet.debuginfo.gdbhash import block_symbols, hashed_order
from deet.debuginfo.inlinefacts import InlineFacts, scan
from deet.debuginfo.types import EnumType, FunctionType, Type


@dataclass(frozen=True)
class Variable:
    """``die``: the DIE's offset, by which a DW_OP_implicit_pointer names what it points
    to. ``declared``: its type, or how to read it: a function's variables are listed
    without reading their types (CPython's nest hundreds of structs deep) until a value
    is shown or computed."""

    name: str
    declared: Type | Callable[[], Type] = field(compare=False, repr=False)
    location: Description
    is_parameter: bool = False
    die: int | None = field(default=None, compare=False)

    @property
    def type(self) -> Type:
        if callable(self.declared):
            object.__setattr__(self, "declared", self.declared())
        return self.declared  # type: ignore[return-value]


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
                if variable.name == name:
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
        """Locals as gdb's ``info locals`` lists them: innermost block first."""
        return [v for block in self.blocks for v in block.listed() if not v.is_parameter]


_TYPE_KINDS = {"DW_TAG_structure_type": "struct", "DW_TAG_union_type": "union",
               "DW_TAG_enumeration_type": "enum", "DW_TAG_typedef": "typedef"}


class UnitScopes:
    def __init__(self, dwarf: DWARFInfo, cu: CompileUnit, files: dict[int, str]) -> None:
        self.reader = UnitReader(dwarf, cu)
        self._files = files
        self.functions: list[Function] = []
        self.globals: dict[str, Variable] = {}
        self._dies: dict[Function, DIE] = {}
        self._unread: set[Function] = set()
        self._facts: InlineFacts | None = None
        # Named types at file scope, by (struct/union/enum/typedef, name): C casts name them.
        self._type_dies: dict[tuple[str, str], DIE] = {}
        self._enumerators: dict[str, DIE] = {}
        # File-scope types whose enumerators are not indexed yet.
        self._unscanned: list[DIE] = []
        producer = cu.get_top_DIE().attributes.get("DW_AT_producer")
        self._gcc = (decode(producer.value) if producer else "").startswith("GNU ")
        for die in cu.get_top_DIE().iter_children():
            if die.tag == "DW_TAG_subprogram":
                self._add_function(die)
            elif die.tag == "DW_TAG_variable":
                self._add_global(die)
            elif die.tag in _TYPE_KINDS and "DW_AT_declaration" not in die.attributes:
                self._add_type(die)
        self.functions.sort(key=lambda f: f.lowest)
        self._entries = [f.lowest for f in self.functions]

    def _add_function(self, die: DIE) -> None:
        name = die_name(die)
        ranges = self.reader.ranges(die)
        if not ranges:
            return
        function = Function(ranges, name=name or "??", frame_name=frame_name(die) or "??")
        self.functions.append(function)
        self._dies[function] = die
        self._unread.add(function)

    def _read(self, function: Function) -> Function:
        """``function`` with its frame base, type, blocks, variables, inlined calls and
        call sites."""
        if function in self._unread:
            # Read into a copy, so that DIEs that fail to read (damaged, or too deep)
            # fail again at the next question instead of leaving half a function.
            die = self._dies[function]
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
                    [self._dies[function] for function in self.functions], self._gcc)

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
        self._inherit(block, die)

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
        abstract origin has no pc bounds, so (gdb's rule) its variables join ``block``."""
        for child in abstract.iter_children():
            if child.offset in covered:
                continue
            if child.tag in ("DW_TAG_formal_parameter", "DW_TAG_variable"):
                name = die_name(child)
                if name is not None:
                    block.variables.append(Variable(
                        name, self._type_reader(child), None,
                        child.tag == "DW_TAG_formal_parameter", child.offset))
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
        return lambda: self.reader.type_of(die)

    def _add_global(self, die: DIE) -> None:
        name = die_name(die)
        if name is None:
            return
        if "DW_AT_location" in die.attributes or "DW_AT_const_value" in die.attributes:
            self.globals[name] = Variable(name, self._type_reader(die),
                                          self.reader.location(die), die=die.offset)

    def _add_type(self, die: DIE) -> None:
        name = die_name(die)
        if name is not None:
            self._type_dies.setdefault((_TYPE_KINDS[die.tag], name), die)
        if die.tag != "DW_TAG_typedef":
            self._unscanned.append(die)

    def _index_enumerators(self) -> None:
        """The enumerators of the file-scope types' enums (C puts them at file scope
        wherever the enum is declared, inside a struct too), found when an expression
        first names one: reading every struct's members for them costs more than naming
        a frame (CPython's CUs declare hundreds of structs)."""
        pending, self._unscanned = self._unscanned[::-1], []
        while pending:
            current = pending.pop()
            if current.tag == "DW_TAG_enumeration_type":
                for child in current.iter_children():
                    if child.tag == "DW_TAG_enumerator" and (label := die_name(child)):
                        self._enumerators.setdefault(label, current)
            elif current.tag in ("DW_TAG_structure_type", "DW_TAG_union_type"):
                pending.extend(c for c in current.iter_children()
                               if c.tag in _TYPE_KINDS and c.tag != "DW_TAG_typedef")

    def enumerator(self, name: str) -> tuple[Type, int] | None:
        """The enum type and value of the enumerator ``name`` (``BLUE``)."""
        if self._unscanned:
            self._index_enumerators()
        die = self._enumerators.get(name)
        if die is None:
            return None
        type_ = self.reader.type_at(die)
        assert isinstance(type_, EnumType)
        return type_, dict(type_.enumerators)[name]

    def named_type(self, kind: str, name: str) -> Type | None:
        """The file-scope type ``kind name`` (``struct node``, typedef ``node_t``)."""
        die = self._type_dies.get((kind, name))
        return self.reader.type_at(die) if die is not None else None

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
