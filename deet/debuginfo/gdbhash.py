"""The order gdb lists a lexical block's variables in (``info locals``, ``bt full``).

gdb keeps a function's own symbols in declaration order, but a nested block's in a hash
table (dictionary.c: ``dict_create_hashed``): ``n // 5 + 1`` buckets for the block's
``n`` symbols (its variables, and any type, enumerator or label declared in it), each
bucket's chain in declaration order, the buckets listed first to last. The hash is
``default_search_name_hash`` for C names (symtab.c / minsyms.c ``msymbol_hash_iw``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from elftools.dwarf.die import DIE

from deet.debuginfo.dies import die_name

T = TypeVar("T")
_MASK = 0xFFFFFFFF


def _next(hash_: int, char: str) -> int:
    """gdb's SYMBOL_HASH_NEXT, in 32-bit unsigned arithmetic."""
    return (hash_ * 67 + ord(char.lower()) - 113) & _MASK


def _hash_iw(name: str) -> int:
    """msymbol_hash_iw: whitespace ignored, up to a '('."""
    hash_ = 0
    for char in name:
        if char == "(":
            break
        if not char.isspace():
            hash_ = _next(hash_, char)
    return hash_


def search_name_hash(name: str) -> int:
    """default_search_name_hash (gdb 13), whose Ada rules apply to C names too: a name
    starting with '_' (or '$', '.', 'X') hashes whole; a '__' followed by a lowercase
    letter or 'O' starts the hash again after it, followed by anything else ends it."""
    if not name or name[0] in "_$.X":
        return _hash_iw(name)
    hash_ = 0
    index = 0
    while index < len(name):
        char = name[index]
        if char in " (":
            return _hash_iw(name)
        if char == "_" and name[index + 1 : index + 2] == "_":
            following = name[index + 2 : index + 3]
            if not ("a" <= following <= "z" or following == "O"):
                return hash_
            hash_ = 0
            index += 2
            continue
        if char == "T" and name[index:] == "TKB":
            return hash_
        hash_ = _next(hash_, char)
        index += 1
    return hash_


def hashed_order(items: Sequence[T], name: Callable[[T], str], symbols: int) -> list[T]:
    """``items`` (in declaration order) as gdb lists them from a block of ``symbols``."""
    buckets = symbols // 5 + 1
    ranked = sorted(range(len(items)),
                    key=lambda index: (search_name_hash(name(items[index])) % buckets, index))
    return [items[index] for index in ranked]


_SYMBOLS = ("DW_TAG_variable", "DW_TAG_typedef", "DW_TAG_structure_type",
            "DW_TAG_union_type", "DW_TAG_enumeration_type", "DW_TAG_label",
            "DW_TAG_subprogram")


def block_symbols(die: DIE) -> int:
    """How many symbols gdb makes in a lexical block: its named variables, types, labels
    and declared functions, each enumerator of its enums, and those of nested blocks
    without addresses, which gdb files in it."""
    count = 0
    for child in die.iter_children():
        if child.tag == "DW_TAG_lexical_block" and not (
                "DW_AT_low_pc" in child.attributes or "DW_AT_ranges" in child.attributes):
            count += block_symbols(child)
        elif child.tag in _SYMBOLS and die_name(child):
            count += 1
        if child.tag == "DW_TAG_enumeration_type":
            count += sum(1 for c in child.iter_children() if c.tag == "DW_TAG_enumerator")
    return count
