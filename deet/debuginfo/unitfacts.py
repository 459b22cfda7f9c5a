"""What a compile unit says about itself, for ``info source``: its name, directory,
language, producer, DWARF version and whether it carries macro information."""

from __future__ import annotations

from dataclasses import dataclass

from elftools.dwarf.compileunit import CompileUnit

# DW_LANG_* -> the language name gdb prints (every C standard is "c").
_LANGUAGES = {0x01: "c", 0x02: "c", 0x0C: "c", 0x1D: "c", 0x2C: "c", 0x04: "c++",
              0x1A: "c++", 0x21: "c++", 0x2B: "c++", 0x8001: "asm"}


@dataclass(frozen=True)
class UnitFacts:
    name: str | None
    comp_dir: str | None
    producer: str | None
    language: str
    version: int
    macros: bool


def unit_facts(cu: CompileUnit) -> UnitFacts:
    top = cu.get_top_DIE()
    attributes = top.attributes

    def text(name: str) -> str | None:
        found = attributes.get(name)
        if found is None:
            return None
        value = found.value
        return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)

    language = attributes.get("DW_AT_language")
    return UnitFacts(
        text("DW_AT_name"), text("DW_AT_comp_dir"), text("DW_AT_producer"),
        _LANGUAGES.get(language.value, "unknown") if language is not None else "unknown",
        cu["version"],
        "DW_AT_macros" in attributes or "DW_AT_macro_info" in attributes
        or "DW_AT_GNU_macros" in attributes,
    )
