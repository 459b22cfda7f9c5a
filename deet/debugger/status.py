"""Status questions about the program's code: ``info line`` (where a line's code is),
``info source`` (the current file and its compile unit), ``info frame`` (the selected
frame's addresses and saved registers), ``info functions``/``info variables`` (what the
program defines)."""

from __future__ import annotations

import os
import re

from deet.debugger.cexpr import EvalError, decay, evaluate
from deet.debugger.core import Debugger
from deet.debugger.errors import DebuggerError
from deet.debugger.inspection import frame_context
from deet.debugger.linespec import AddressSpec, FunctionSpec, LineSpec, parse_location
from deet.debugger.process import LiveRow, Process
from deet.debugger.stack import StackFrame
from deet.debugger.unwind import FrameState, caller_of, outermost, saved_slots
from deet.debugger.values import to_int
from deet.debuginfo import DebugInfoError, UnitFacts
from deet.engine import MemoryAccessError
from deet.results import (
    FrameInfo,
    LineInfo,
    SourceInfo,
    SymbolInfo,
    SymbolListing,
    SymbolMatch,
)

_ENDBR64 = bytes((0xF3, 0x0F, 0x1E, 0xFA))
_PUSH_RBP = 0x55
_MOV_RSP_RBP = (bytes((0x48, 0x89, 0xE5)), bytes((0x48, 0x8B, 0xEC)))


def line_info(debugger: Debugger, args: str) -> LineInfo:
    """gdb's ``info line [LOCATION]``: the selected frame's line without one. A function's
    line is the one its entry is on; a line without code is reported at the next code."""
    process = debugger.require_stopped()
    if not args.strip():
        row = process.line_at(debugger.stack.program_pc())
        if row is None:
            raise DebuggerError("No line number information available.")
        return _info(debugger, row)
    spec = parse_location(args)
    if isinstance(spec, AddressSpec):
        row = process.line_at(spec.address)
        if row is None:
            raise _no_line(debugger, spec.address)
        return _info(debugger, row)
    address = _first_address(debugger, spec)
    row = process.line_at(address)
    function = process.function_at(address)
    entry = process.line_at(function[1]) if function is not None else None
    if isinstance(spec, FunctionSpec):
        # A function without line information (``_start``): gdb names its address.
        if entry is None:
            raise _no_line(debugger, address)
        return _info(debugger, entry)
    if row is not None and row.line == spec.line:
        return _info(debugger, row)
    if entry is not None and entry.line == spec.line:
        return _info(debugger, entry)
    # ``break`` moved to the next line with code (and past its prologue): gdb names the
    # start of that code.
    known = entry or row
    start = known.start if known is not None else address
    file = _shown_name(process, known) if known is not None else ""
    return LineInfo(file, spec.line, start, debugger.frame_context().symbolic(start))


def _no_line(debugger: Debugger, address: int) -> DebuggerError:
    symbol = debugger.frame_context().symbolic(address)
    named = f" <{symbol}>" if symbol else ""
    return DebuggerError(f"No line number information available for address {address:#x}"
                         f"{named}")


def source_info(debugger: Debugger) -> SourceInfo:
    """gdb's ``info source``: the current source file (the one last listed or shown under
    a frame) and its compile unit."""
    file = debugger.sources.current
    found = _unit_of(debugger, file) if file is not None else None
    if file is None or found is None:
        raise DebuggerError("No current source file.")
    facts, name = found
    lines, stale = debugger.sources.shown(file)
    path = os.path.abspath(file) if lines is not None else None
    return SourceInfo(name, facts.comp_dir, path, len(lines) if lines is not None else None,
                      facts.language, facts.producer, facts.version, facts.macros, stale)


def _unit_of(debugger: Debugger, file: str) -> tuple[UnitFacts, str] | None:
    """The compile unit of the current source file, and the file's name as gdb shows it:
    the selected frame's unit when the frame is in that file (a header is in many)."""
    process = debugger.current
    if process is not None:
        location = debugger.frame_line().location
        found = process.lookup(debugger.stack.program_pc())
        if location is not None and location.file == file and found is not None:
            facts = found[0].info.unit_facts(found[1])
            if facts is not None:
                return facts, location.shown
    info = debugger.files.naming(file)
    facts = info.file_unit_facts(file) if info is not None else None
    return (facts, info.file_name(file) or file) if info is not None and facts else None


def symbol_info(debugger: Debugger, args: str) -> SymbolInfo:
    """gdb's ``info symbol ADDR``: the symbol-table symbol the address (any expression)
    is in, in each object with a section there; the object named once more than one is
    loaded (the program running, or its separate debug file read)."""
    asked = args.strip()
    if not asked:
        raise DebuggerError("Argument required (address).")
    context = frame_context(debugger)
    try:
        address = to_int(decay(evaluate(asked, context))) & (2**64 - 1)
    except EvalError as exc:
        raise DebuggerError(str(exc)) from exc
    process = debugger.current
    if process is None:
        target = debugger.target
        objects = [(target, 0, target.path)]
        several = target.has_separate_debug_file
    else:
        objects = [(obj.info, obj.bias, obj.path) for obj in process.space.objects]
        several = True
    matches = []
    for info, bias, path in objects:
        try:
            section = info.section_at(address - bias)
            table = None if section is None else info.symbols if section[1] else info.data_symbols
            symbol = table.containing(address - bias) if table is not None else None
        except DebugInfoError:
            continue
        if section is not None and symbol is not None:
            matches.append(SymbolMatch(symbol.name, address - bias - symbol.address,
                                       section[0], os.path.abspath(path) if several else None))
    return SymbolInfo(asked, tuple(matches))


def _first_address(debugger: Debugger, spec: LineSpec | FunctionSpec) -> int:
    code = debugger.resolve(spec)
    process = debugger.require_stopped()
    for path, locations in code.items():
        bias = process.space.bias_of(path)
        if bias is not None and locations:
            return locations[0].address + bias
    raise DebuggerError(f"No code for {spec}.")


def _info(debugger: Debugger, row: LiveRow) -> LineInfo:
    context = debugger.frame_context()
    return LineInfo(_shown_name(debugger.require_stopped(), row), row.line, row.start,
                    context.symbolic(row.start), row.end, context.symbolic(row.end))


def _shown_name(process: Process, row: LiveRow) -> str:
    """The row's file as gdb names it: as it was compiled (``prog.c`` for ``gcc prog.c``)."""
    found = process.lookup(row.start)
    name = found[0].info.file_name(row.file) if found is not None else None
    return name or row.file


def frame_info(debugger: Debugger, level: int | None = None) -> FrameInfo:
    """gdb's ``info frame [LEVEL]`` for the selected frame (or frame ``level``, which is
    not selected): its CFA, pc and saved pc, the frames around it, its language, where gdb
    says its arguments and locals are (``base``), and where the CFI says the caller's
    registers are saved."""
    process = debugger.require_stopped()
    stack = process.stack
    selected = level is None
    level = stack.selected if level is None else level
    frame = stack.frame(level)
    if frame is None:
        raise DebuggerError(f"No frame at level {level}.")
    state = frame.state
    if state.cfa is None:
        raise DebuggerError("deet cannot find where this frame is (no CFA).")
    line = debugger.frame_line(level)
    read = process.inferior.read
    last = outermost(state, process.unwind_row)
    caller = None if last else caller_of(state, process.unwind_row, read,
                                          innermost=frame.physical == 0)
    above = stack.frame(level + 1)
    below = stack.frame(level - 1) if level > 0 else None
    # The signal trampoline's frame line has no function; gdb names its symbol, the one
    # at its pc (the kernel's return address into it is not after a call).
    symbol = process.function_at(state.pc if state.signal_trampoline else state.lookup_pc)
    common = dict(
        level=level, cfa=None if last else state.cfa, pc=state.pc,
        function=line.function or (symbol[0] if symbol is not None else None),
        location=line.location, saved_pc=caller.pc if caller is not None else None,
        callee_cfa=below.state.cfa if below is not None else None,
        language=_language(process, state) if line.location is not None else None,
        args=line.args, selected=selected)
    if frame.inlined:
        # An inlined call has no addresses of its own ("at unknown address"); its
        # registers are those of the physical frame it is in: live in the innermost one
        # (the caller's sp is "in rsp"), else restored from the slots the frame it called
        # saved them in.
        inner = stack.physical(frame.physical - 1) if frame.physical > 0 else None
        return FrameInfo(
            **common, outermost=False, caller_cfa=None, base=None,
            previous_sp=inner.cfa if inner is not None else None,
            saved=(tuple(saved_slots(inner, process.unwind_row, read,
                                     innermost=frame.physical == 1).items())
                   if inner is not None else ()),
            inlined_into=level + 1)
    slots = saved_slots(state, process.unwind_row, read, innermost=frame.physical == 0)
    if state.signal_trampoline:
        # The kernel's signal frame: every register, %rsp too, is in the sigcontext it
        # saved; the trampoline has no arguments or locals of its own.
        return FrameInfo(**common, outermost=last, caller_cfa=_frame_at(process, above),
                         base=None, previous_sp=None, previous_sp_at=slots.pop("rsp", None),
                         saved=tuple(slots.items()))
    slots.pop("rsp", None)
    return FrameInfo(**common, outermost=last, caller_cfa=_frame_at(process, above),
                     base=_base(process, state), previous_sp=state.cfa,
                     saved=tuple(slots.items()))


def _frame_at(process: Process, frame: StackFrame | None) -> int | None:
    """The address gdb gives a frame (its CFA; 0 for an outermost frame, whose frame id
    has no stack address), None for no frame."""
    if frame is None:
        return None
    return 0 if outermost(frame.state, process.unwind_row) else frame.state.cfa


def _language(process: Process, state: FrameState) -> str | None:
    """The language of the compile unit holding the frame's pc (None without debug info:
    gdb then leaves the line out)."""
    found = process.lookup(state.lookup_pc)
    if found is None or not found[0].info.has_debug_info:
        return None
    try:
        facts = found[0].info.unit_facts(found[1])
    except DebugInfoError:
        return None
    return facts.language if facts is not None else None


def _base(process: Process, state: FrameState) -> int:
    """Where gdb's amd64 code puts a frame's arguments and locals ("Arglist at", "Locals
    at"): %rbp once the function's ``push %rbp; mov %rsp,%rbp`` has run, else %rsp less
    the 8 bytes the ``push`` would take (amd64_analyze_prologue's reading of the
    function's first instructions, up to the frame's pc)."""
    rsp = state.registers.get("rsp", 0)
    function = process.function_at(state.lookup_pc)
    if function is None:
        return rsp - 8
    at, pc = function[1], state.pc
    try:
        code = process.inferior.read(at, 8)  # int3s hidden: the code as built
    except MemoryAccessError:
        return rsp - 8
    if code[:4] == _ENDBR64 and at + 4 <= pc:
        code, at = code[4:], at + 4
    if pc <= at or code[0] != _PUSH_RBP:
        return rsp - 8
    if pc <= at + 1 or code[1:4] not in _MOV_RSP_RBP:
        return rsp
    return state.registers.get("rbp", 0)



def symbol_search(debugger: Debugger, functions: bool, args: str) -> SymbolListing:
    """gdb's ``info functions [REGEX]`` / ``info variables [REGEX]`` over the program's
    file: its functions (variables) by file and line, sorted by file then name, then the
    symbols no debug info describes, by address. gdb's options (``-q``, ``-t``, ``-n``)
    are refused, not taken for a regular expression."""
    regex = args.strip() or None
    if regex is not None and regex.startswith("-"):
        what = "functions" if functions else "variables"
        raise DebuggerError(f"deet's info {what} takes a regular expression, not gdb's "
                            f"options (-q, -t, -n): {regex}")
    try:
        pattern = re.compile(_from_basic(regex)) if regex is not None else None
    except re.error as exc:
        raise DebuggerError(f"Invalid regexp: {_REGEX_ERRORS.get(exc.msg, exc.msg)}") from exc
    try:
        debug, plain = debugger.target.search_symbols(functions, pattern)
    except DebugInfoError as exc:
        raise DebuggerError(str(exc)) from exc
    # gdb's order: by file, a file's globals before its statics, then by name.
    files: dict[str, set[tuple[bool, str, int, str]]] = {}
    for declared in debug:
        text = ("static " if declared.static else "") + declared.declaration
        files.setdefault(declared.file, set()).add(
            (declared.static, declared.name, declared.line, text))
    listed = tuple((file, tuple((line, text) for *_key, line, text in sorted(files[file])))
                   for file in sorted(files))
    return SymbolListing(functions, regex, listed,
                         tuple((symbol.address, symbol.name) for symbol in plain))


# Python's words for a bad regular expression -> glibc's regerror, which gdb prints.
_REGEX_ERRORS = {
    "unterminated character set": "Unmatched [ or [^",
    "missing ), unterminated subpattern": "Unmatched ( or \\(",
    "unbalanced parenthesis": "Unmatched ( or \\(",  # glibc's words for a lone \) too
    "nothing to repeat": "Invalid preceding regular expression",
    "bad escape (end of pattern)": "Trailing backslash",
}

# In a POSIX basic regular expression these are plain characters, and special after a
# backslash (GNU's \| \+ \? included).
_BASIC_PLAIN = set("(){}|+?")


def _from_basic(regex: str) -> str:
    r"""gdb's regular expressions are POSIX basic ones (regcomp without REG_EXTENDED):
    ``(``, ``|`` and ``+`` match themselves and ``\(`` groups; the same in Python's
    syntax. Bracket expressions are copied as they are."""
    out = []
    index = 0
    while index < len(regex):
        char = regex[index]
        if char == "\\" and index + 1 < len(regex):
            following = regex[index + 1]
            out.append(following if following in _BASIC_PLAIN else char + following)
            index += 2
            continue
        if char == "[":
            first = index + 2 if regex[index + 1:index + 2] in ("]", "^") else index + 1
            end = regex.find("]", first)
            if end != -1:
                out.append(regex[index:end + 1])
                index = end + 1
                continue
        # A ``*`` that starts the expression (or a group) has nothing to repeat: plain.
        leading = char == "*" and (not out or out[-1] in ("^", "("))
        out.append(re.escape(char) if char in _BASIC_PLAIN or leading else char)
        index += 1
    return "".join(out)
