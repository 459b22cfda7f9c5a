"""Text and JSON of the answers to gdb's script and status commands: ``echo``'s output,
ignore counts, ``thread apply``'s headers, ``info line``, ``info source``, ``info
functions`` and ``info variables``.

These register with ``text.text`` and the JSON shapes; ``deet.render`` imports this module
so they always do.
"""

from __future__ import annotations

from deet.render.json import Fields, _json
from deet.render.text import STALE_SOURCE, text
from deet.render.values import value_text
from deet.results import (
    Completions,
    IgnoreCount,
    LineInfo,
    OutputValue,
    Printf,
    ScriptOutput,
    SourceInfo,
    SymbolInfo,
    SymbolListing,
    ThreadApplied,
)


def _at(address: int, symbol: str | None) -> str:
    return f"{address:#x} <{symbol}>" if symbol else f"{address:#x}"


@text.register
def _(result: LineInfo) -> str:
    head = f'Line {result.line} of "{result.file}"'
    start = _at(result.start, result.start_symbol)
    if result.end is None:
        return f"{head} is at address {start} but contains no code."
    return f"{head} starts at address {start} and ends at {_at(result.end, result.end_symbol)}."


@text.register
def _(result: SourceInfo) -> str:
    lines = [f"Current source file is {result.file}"]
    if result.comp_dir:
        lines.append(f"Compilation directory is {result.comp_dir}")
    if result.path is not None:
        lines += [f"Located in {result.path}", *([STALE_SOURCE] if result.stale else []),
                  f"Contains {result.lines} lines."]
    lines.append(f"Source language is {result.language}.")
    if result.producer:
        lines.append(f"Producer is {result.producer}.")
    lines.append(f"Compiled with DWARF {result.dwarf_version} debugging format.")
    lines.append("Includes preprocessor macro info." if result.macros
                 else "Does not include preprocessor macro info.")
    return "\n".join(lines)


@text.register
def _(result: SymbolListing) -> str:
    what = "functions" if result.functions else "variables"
    lines = [f'All {what} matching regular expression "{result.regex}":' if result.regex
             else f"All defined {what}:"]
    for file, entries in result.files:
        lines += ["", f"File {file}:", *(f"{line}:\t{text};" for line, text in entries)]
    if result.plain:
        lines += ["", "Non-debugging symbols:",
                  *(f"0x{address:016x}  {name}" for address, name in result.plain)]
    return "\n".join(lines)


@text.register
def _(result: SymbolInfo) -> str:
    if not result.matches:
        return f"No symbol matches {result.asked}."
    lines = []
    for match in result.matches:
        where = f"{match.name} + {match.offset}" if match.offset else match.name
        of = f" of {match.object}" if match.object else ""
        lines.append(f"{where} in section {match.section}{of}")
    return "\n".join(lines)


@_json.register
def _(result: SymbolInfo) -> tuple[str, Fields]:
    return "symbol_info", {
        "asked": result.asked,
        "matches": [{"name": match.name, "offset": match.offset, "section": match.section,
                     "object": match.object} for match in result.matches]}


@_json.register
def _(result: SymbolListing) -> tuple[str, Fields]:
    return "symbols", {
        "kind": "functions" if result.functions else "variables", "regex": result.regex,
        "files": [{"file": file, "symbols": [{"line": line, "declaration": text}
                                              for line, text in entries]}
                  for file, entries in result.files],
        "non_debugging": [{"address": f"{address:#x}", "name": name}
                          for address, name in result.plain]}


@_json.register
def _(result: SourceInfo) -> tuple[str, Fields]:
    return "source_info", {
        "file": result.file, "comp_dir": result.comp_dir, "path": result.path,
        "lines": result.lines, "language": result.language, "producer": result.producer,
        "dwarf_version": result.dwarf_version, "macros": result.macros}


@_json.register
def _(result: LineInfo) -> tuple[str, Fields]:
    return "line_info", {"file": result.file, "line": result.line,
                         "start": f"{result.start:#x}",
                         "end": None if result.end is None else f"{result.end:#x}"}


@text.register
def _(result: ScriptOutput) -> str:
    return result.text


@text.register
def _(result: Completions) -> str:
    return "\n".join(result.lines)


@_json.register
def _(result: Completions) -> tuple[str, Fields]:
    return "completions", {"completions": list(result.lines)}


@text.register
def _(result: Printf) -> str:
    return result.format % result.arguments


@_json.register
def _(result: Printf) -> tuple[str, Fields]:
    return "script_output", {"text": result.format % result.arguments}


@text.register
def _(result: OutputValue) -> str:
    return value_text(result.value, fmt=result.format)


@_json.register
def _(result: OutputValue) -> tuple[str, Fields]:
    return "script_output", {"text": value_text(result.value, fmt=result.format)}


@_json.register
def _(result: ScriptOutput) -> tuple[str, Fields]:
    return "script_output", {"text": result.text}


@text.register
def _(result: IgnoreCount) -> str:
    number, count = result.breakpoint, result.count
    if count == 0:
        said = f"Will stop next time breakpoint {number} is reached."
    elif count == 1:
        said = f"Will ignore next crossing of breakpoint {number}."
    else:
        said = f"Will ignore next {count} crossings of breakpoint {number}."
    # gdb: "set_ignore_count prints a message ending with a period. So print two spaces
    # before "Continuing."".
    return f"{said}  Continuing." if result.continuing else said


@_json.register
def _(result: IgnoreCount) -> tuple[str, Fields]:
    return "ignore", {"breakpoint": result.breakpoint, "count": result.count,
                      "continuing": result.continuing}


@text.register
def _(result: ThreadApplied) -> str:
    name = f' "{result.name}"' if result.name else ""
    return f"\nThread {result.thread.number} (LWP {result.thread.tid}{name}):"


@_json.register
def _(result: ThreadApplied) -> tuple[str, Fields]:
    return "thread_apply", {"thread": result.thread.number, "lwp": result.thread.tid,
                            "name": result.name}
