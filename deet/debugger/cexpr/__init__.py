"""C expressions as ``print``, ``x``, conditions, ``ptype`` and ``set var`` take them.

``lexer`` (text to tokens), ``typename`` (C type names), ``parser`` (tokens to code for a
stack machine, without recursion), ``machine`` (runs the code), ``arith`` (C's arithmetic)
and ``access`` (what reaches into memory). Errors are gdb's words.
"""

from __future__ import annotations

from deet.debugger.cexpr.arith import decay
from deet.debugger.cexpr.lexer import Token, tokenize
from deet.debugger.cexpr.machine import Context, run
from deet.debugger.cexpr.parser import Program, parse
from deet.debugger.values import EvaluationError, Value

EvalError = EvaluationError

__all__ = ["Context", "EvalError", "Program", "Token", "decay", "evaluate", "parse",
           "tokenize", "type_of"]


def evaluate(text: str, context: Context) -> Value:
    return run(parse(text, context.named_type, context.knows), context)


def type_of(text: str, context: Context) -> Value:
    """The value of ``text`` evaluated for its type only (``whatis``, ``ptype``)."""
    return run(parse(text, context.named_type, context.knows), context, noside=True)
