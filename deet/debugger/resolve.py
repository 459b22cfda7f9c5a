"""From what the user wrote after ``break`` to code: a location spec becomes link-time code
locations, per object file (the program, or a library it has loaded).

``*ADDR`` is a live address, as in gdb: accepted where the running process (or, before it
runs, the executable file) has code. ``LINE`` is in the file of the selected stop, else
the program's default file. ``FUNC`` is every definition in the program and in the
libraries loaded so far; a name the program imports from a library not loaded yet gives a
pending breakpoint (``set breakpoint pending``).
"""

from __future__ import annotations

from collections.abc import Iterable

from deet.debugger.breakpoints import Breakpoint
from deet.debugger.errors import DebuggerError
from deet.debugger.linespec import AddressSpec, FunctionSpec, LineSpec, LocationSpec
from deet.debugger.objects import LoadedObject
from deet.debugger.process import Process
from deet.debuginfo import CodeLocation, DebugInfo, DebugInfoError
from deet.engine import MemoryAccessError

# Where the kernel maps a PIE when ASLR is off (x86-64 ELF_ET_DYN_BASE); used only to
# accept a raw ``*ADDR`` on a PIE before it runs, since gdb's ``*ADDR`` is a live address.
PIE_BASE_NO_ASLR = 0x555555554000

Code = dict[str, list[CodeLocation]]


def resolve(spec: LocationSpec, target: DebugInfo, process: Process | None,
            pending: str) -> Code:
    """``spec`` in ``target`` (and the libraries of ``process``, when one runs);
    ``pending`` is the ``breakpoint pending`` setting."""
    program = str(target.path)
    try:
        if isinstance(spec, AddressSpec):
            return {program: [_raw_address(spec.address, target, process)]}
        if isinstance(spec, FunctionSpec) and spec.file is not None:
            return _function_in(spec.name, spec.file, target)
        if isinstance(spec, FunctionSpec):
            return _function(spec.name, target, process, pending)
        return {program: _line(spec, target, process)}
    except DebugInfoError as exc:
        raise DebuggerError(str(exc)) from exc


def function_code(info: DebugInfo, name: str) -> list[CodeLocation]:
    """A library's definitions of ``name``; a damaged library is skipped."""
    try:
        return info.function_breakpoints(name, search_every_unit=False)
    except DebugInfoError:
        return []


def take_library_code(breakpoints: Iterable[Breakpoint], objects: Iterable[LoadedObject]) -> None:
    """gdb's breakpoint re-set: each ``break FUNC`` takes the definitions of FUNC in
    objects newly mapped (``break FILE:FUNC`` stays in the program's FILE)."""
    mapped = list(objects)
    for breakpoint_ in breakpoints:
        spec = breakpoint_.spec
        if isinstance(spec, FunctionSpec) and spec.file is None:
            for obj in mapped:
                code = function_code(obj.info, spec.name)
                if code:
                    breakpoint_.code[obj.path] = code


def _function(name: str, target: DebugInfo, process: Process | None, pending: str) -> Code:
    code = {}
    found = target.function_breakpoints(name)
    if found:
        code[str(target.path)] = found
    if process is not None:
        for obj in process.space.libraries():
            found = function_code(obj.info, name)
            if found:
                code[obj.path] = found
    if not code and not _may_be_pending(name, target, process, pending):
        raise DebuggerError(f'Function "{name}" not defined.')
    return code


def _function_in(name: str, file: str, target: DebugInfo) -> Code:
    """``break FILE:FUNC``: the function of that name defined in the program's FILE."""
    files = target.source_files(file)
    if not files:
        raise DebuggerError(f"No source file named {file}.")
    found = [code for code in target.function_breakpoints(name)
             if code.location is not None and code.location.file in files]
    if not found:
        raise DebuggerError(f'Function "{name}" not defined in "{file}".')
    return {str(target.path): found}


def _may_be_pending(name: str, target: DebugInfo, process: Process | None,
                    pending: str) -> bool:
    if pending == "auto":
        return process is None and target.imports(name)
    return pending == "on" and target.interpreter is not None


def _line(spec: LineSpec, target: DebugInfo, process: Process | None) -> list[CodeLocation]:
    file = spec.file
    if file is None and process is not None:
        location = process.place(process.inferior.pc).location
        file = location.file if location else None
    if file is not None and not target.has_source_file(file):
        raise DebuggerError(f"No source file named {file}.")
    code = target.line_breakpoints(file, spec.line)
    if not code:
        where = f'file "{file}"' if spec.file else "the current file"
        raise DebuggerError(f"No line {spec.line} in {where}.")
    return code


def _raw_address(address: int, target: DebugInfo, process: Process | None) -> CodeLocation:
    """A raw address is accepted where the program has (or will have) code."""
    if process is not None:
        try:
            process.inferior.read(address, 1)
        except MemoryAccessError as exc:
            raise DebuggerError(f"Cannot set breakpoint: {exc}") from exc
        link = process.program_address(address)
        location = process.place(address).location
    else:
        link = address - (PIE_BASE_NO_ASLR if target.is_pie else 0)
        if not target.read_code(link, 1):
            raise DebuggerError(f"Cannot set breakpoint: no code at address {address:#x}")
        location = target.location_for(link)
    function = target.function_at(link)
    return CodeLocation(link, function.name if function else None, location)
