"""What deet does with the child when a process it holds forks."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class ForkPolicy:
    """gdb's ``follow-fork-mode`` (``follow_child``) and ``detach-on-fork`` (``detach``)."""

    follow_child: bool = False
    detach: bool = True
