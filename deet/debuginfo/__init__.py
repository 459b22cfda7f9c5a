"""ELF and DWARF facts about a program, through pyelftools (imported nowhere else)."""

from deet.debuginfo.errors import DebugInfoError
from deet.debuginfo.lines import SourceLocation
from deet.debuginfo.placement import CodeLocation
from deet.debuginfo.program import DebugInfo
from deet.debuginfo.separate import DEBUG_ROOT
from deet.debuginfo.symbols import FunctionSymbol
from deet.debuginfo.unitfacts import UnitFacts

__all__ = ["DEBUG_ROOT", "CodeLocation", "DebugInfo", "DebugInfoError", "FunctionSymbol",
           "SourceLocation", "UnitFacts"]
