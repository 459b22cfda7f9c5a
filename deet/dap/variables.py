"""The variable references a DAP client expands: a scope (a frame's arguments, locals or
registers), a struct's members, an array's elements, what a pointer points to.

References live until the program runs again (DAP's rule: they are valid while it is
stopped). A struct or an array is expanded from the value tree ``print`` already read;
a pointer is followed by evaluating ``*(EXPR)`` in its frame when it is expanded, so
expanding never reads more than the user asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from deet.render.values import value_text
from deet.results import shown
from deet.results.shown import Shown

# A value's children: evaluate an expression in a frame (None if it cannot be read).
Evaluate = Callable[[int, str], Shown | None]


@dataclass(frozen=True)
class Node:
    """What a reference expands to: ``children`` already known (a scope, a struct, an
    array), or a pointer's ``target`` expression to evaluate in frame ``frame``."""

    frame: int
    children: tuple[tuple[str, Shown, str | None], ...] = ()
    target: str | None = None
    # Values already in text (registers): shown as they are, never expanded.
    texts: tuple[tuple[str, str], ...] = ()


class References:
    def __init__(self) -> None:
        self._nodes: dict[int, Node] = {}

    def clear(self) -> None:
        self._nodes.clear()

    def add(self, node: Node) -> int:
        reference = len(self._nodes) + 1
        self._nodes[reference] = node
        return reference

    def variable(self, frame: int, name: str, value: Shown, expression: str | None) -> dict:
        """One DAP ``Variable``: gdb's text of the value, a reference when it expands."""
        return {"name": name, "value": value_text(value, top=False),
                "evaluateName": expression, "variablesReference": self.expand(frame, value,
                                                                             expression)}

    def expand(self, frame: int, value: Shown, expression: str | None) -> int:
        """The reference of a value's children; 0 when it has none."""
        if isinstance(value, shown.Fields):
            return self.add(Node(frame, tuple(
                (name or "<anonymous>", member,
                 f"({expression}).{name}" if expression and name else None)
                for name, member in value.items)))
        if isinstance(value, shown.Elements) and not value.chars:
            return self.add(Node(frame, tuple(
                (f"[{index}]", item, f"({expression})[{index}]" if expression else None)
                for index, item in enumerate(value.items))))
        if (isinstance(value, shown.Pointer) and value.address and value.string is None
                and expression is not None and not value.type_name.startswith("void")):
            return self.add(Node(frame, target=f"*({expression})"))
        return 0

    def assignable(self, reference: int, name: str) -> tuple[int, str] | None:
        """The frame and the expression of the variable ``name`` under ``reference``, for
        ``setVariable``: the client names a member or an element only by its own name
        (``x``, ``[3]``), which means nothing outside the value it was shown in, and the
        variable belongs to that reference's frame, not to the one selected now."""
        node = self._nodes.get(reference)
        if node is None:
            return None
        if node.target is not None:
            return (node.frame, node.target) if name == node.target else None
        for child, _value, expression in node.children:
            if child == name and expression is not None:
                return node.frame, expression
        for register, _text in node.texts:
            if register == name:
                return node.frame, f"${register}"
        return None

    def refresh(self, frame: int, expression: str, evaluate: Evaluate,
                register: str | None = None) -> None:
        """After ``setVariable`` assigned ``expression`` in ``frame``: read again the values
        the references hold that contain it (the variable, and the struct or array it is
        part of: ``p`` after ``(p).x``), so that a client asking for them again is not told
        the old ones; ``register``: the new text of a register row."""
        for reference, node in list(self._nodes.items()):
            if node.frame != frame:
                continue
            children = []
            for name, value, path in node.children:
                if path is not None and (path == expression
                                         or expression.startswith(f"({path})")):
                    value = evaluate(frame, path) or value
                children.append((name, value, path))
            texts = [(name, register if register is not None and f"${name}" == expression
                      else text) for name, text in node.texts]
            self._nodes[reference] = replace(node, children=tuple(children),
                                             texts=tuple(texts))

    def children(self, reference: int, evaluate: Evaluate) -> list[dict]:
        node = self._nodes.get(reference)
        if node is None:
            return []
        if node.target is not None:
            value = evaluate(node.frame, node.target)
            if value is None:
                return []
            return [self.variable(node.frame, node.target, value, node.target)]
        found = [self.variable(node.frame, name, value, expression)
                 for name, value, expression in node.children]
        return found + [{"name": name, "value": text, "variablesReference": 0}
                        for name, text in node.texts]
