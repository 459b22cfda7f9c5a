"""Calling a function of the program from an expression (``print f(2)``, ``call f(2)``).

As gdb does it (the System V x86-64 ABI): the arguments go into registers (integers and
pointers in %rdi, %rsi, %rdx, %rcx, %r8, %r9; float and double in %xmm0-7; a struct of
at most 16 bytes split into eightbytes, each in the next register of its class) or onto
the stack; the return address is the program's entry point, where an int3 waits (gdb's
``ON_STACK``/``AT_ENTRY_POINT``). The stack pointer goes below the red zone and is aligned
to 16 at the call. When the function returns to the int3, its value is read where the
ABI puts it and every register is put back as it was. A call that stops at a breakpoint
or is signalled is reported as gdb reports it, and the program stays where it stopped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from deet.debugger.cexpr.arith import cast, decay, promote
from deet.debugger.cexpr.typename import DOUBLE
from deet.debugger.frames import NO_DEBUG_FUNCTION
from deet.debugger.process import DummyFrame, Process
from deet.debugger.returns import classify, return_value
from deet.debugger.values import EvaluationError, Value, to_int
from deet.debuginfo.types import (
    ArrayType,
    BaseType,
    FunctionType,
    PointerType,
    StructType,
    Type,
    is_float,
    strip,
)
from deet.engine import EngineError, MemoryAccessError, StopEvent, StopKind
from deet.results import Result

_INTEGER_REGISTERS = ("rdi", "rsi", "rdx", "rcx", "r8", "r9")
_XMM0 = 160
_RED_ZONE = 128

Run = Callable[[Callable[[float | None], StopEvent], Callable[[StopEvent], bool]],
               StopEvent | None]


@dataclass
class _Frame:
    """The call being set up: registers to load, bytes to put on the stack."""

    registers: dict[str, int] = field(default_factory=dict)
    vectors: list[bytes] = field(default_factory=list)
    stack_words: list[bytes] = field(default_factory=list)
    integers: int = 0


class Caller:
    """Calls into ``process``: ``run`` is the debugger's ``run_until``, ``report`` turns
    an event into what the user sees, ``announce`` shows it."""

    def __init__(self, process: Process, run: Run, report: Callable[[StopEvent], Result],
                 announce: Callable[[Result], None]) -> None:
        self.process = process
        self.run = run
        self.report = report
        self.announce = announce

    def function(self, name: str) -> Value | None:
        """``name`` in a library the program loaded (``strlen``, ``abs``)."""
        for obj in self.process.space.libraries():
            symbols = obj.info.symbols.named(name)
            if symbols:
                type_ = obj.info.function_type(name) if obj.info.has_debug_info else None
                if type_ is not None and _unknown(type_.returns):
                    type_ = None
                return Value(type_ or NO_DEBUG_FUNCTION, b"", symbols[0].address + obj.bias)
        return None

    def call(self, function: Value, arguments: list[Value], returns: Type | None,
             name: str) -> Value:
        if not self.process.inferior.live:
            # A core file: nothing can run in it (gdb's words).
            raise EvaluationError("You can't do that without a process to debug.")
        address, type_ = _callee(function)
        if type_ is NO_DEBUG_FUNCTION and returns is None:
            raise EvaluationError(f"'{name}' has unknown return type; "
                                  "cast the call to its declared return type")
        if type_.prototyped and len(arguments) < len(type_.params):
            raise EvaluationError("Too few arguments in function call.")
        result_type = returns if returns is not None else type_.returns
        inferior = self.process.inferior
        saved = inferior.registers.as_dict()
        saved_fp = inferior.fp_area()
        sp = saved["rsp"] - _RED_ZONE
        frame = _Frame()
        memory_return = _returned_in_memory(result_type)
        if memory_return:
            sp = (sp - strip(result_type).size) & ~15
            frame.registers[_INTEGER_REGISTERS[0]] = sp
            frame.integers = 1
        for index, argument in enumerate(arguments):
            param = type_.params[index] if index < len(type_.params) else None
            value, sp = self._materialize(_converted(argument, param), sp)
            _place(frame, value)
        entry = self.process.space.program.bias + self.process.target.entry
        stack = b"".join(frame.stack_words)
        sp = (sp - len(stack)) & ~15
        try:
            inferior.write(sp, stack)
            sp -= 8
            inferior.write(sp, entry.to_bytes(8, "little"))
            self._load(frame, sp, address, saved_fp)
            event = self._run(entry, sp + 8, saved, saved_fp)
        except (MemoryAccessError, EngineError) as exc:
            self._restore(saved, saved_fp)
            raise EvaluationError(str(exc)) from exc
        if event is not None:
            self._abandon(event, name)
        value = return_value(result_type, inferior)
        self._restore(saved, saved_fp)
        if value is None:
            return Value(result_type, b"")
        return Value(value.type, value.data)

    def _materialize(self, value: Value, sp: int) -> tuple[Value, int]:
        """An array not in memory (a string literal) is copied onto the stack, below
        the red zone, and passed as a pointer to it."""
        bare = strip(value.type)
        if isinstance(bare, ArrayType) and value.address is None and value.data is not None:
            sp = (sp - len(value.data)) & ~15
            self.process.inferior.write(sp, value.data)
            return Value(PointerType(bare.element), sp.to_bytes(8, "little")), sp
        return decay(value), sp

    def _load(self, frame: _Frame, sp: int, address: int, fp_area: bytes) -> None:
        registers = self.process.inferior.registers
        for name, number in frame.registers.items():
            registers[name] = number
        registers["rax"] = len(frame.vectors)
        registers["rsp"] = sp
        registers["rip"] = address
        # Not a system call to restart when the thread resumes (gdb does the same).
        registers["orig_rax"] = -1
        if frame.vectors:
            area = bytearray(fp_area)
            for index, data in enumerate(frame.vectors):
                start = _XMM0 + 16 * index
                area[start : start + 16] = data.ljust(16, b"\0")
            self.process.inferior.set_fp_area(bytes(area))

    def _run(self, entry: int, return_sp: int, saved: dict[str, int],
             fp_area: bytes) -> StopEvent | None:
        process = self.process
        process.add_internal(entry)

        def returned(event: StopEvent) -> bool:
            return (event.kind is StopKind.BREAKPOINT and event.pc == entry
                    and process.inferior.registers["rsp"] == return_sp)

        try:
            event = self.run(lambda remaining: process.cont(remaining), returned)
        except BaseException:
            process.remove_internal(entry)
            raise
        if event is None or not process.alive:
            process.remove_internal(entry)
        else:
            # The call is abandoned: when its function returns, the registers are put
            # back (``Process.pop_dummy``), and the int3 waits for that.
            process.dummies.append(DummyFrame(entry, return_sp, saved, fp_area))
        return event

    def _restore(self, saved: dict[str, int], fp_area: bytes) -> None:
        inferior = self.process.inferior
        for name, number in saved.items():
            inferior.registers[name] = number
        inferior.set_fp_area(fp_area)
        self.process.write_register("rip", saved["rip"])

    def _abandon(self, event: StopEvent, name: str) -> None:
        """The call stopped before it returned: the stop as usual, then gdb's words."""
        self.announce(self.report(event))
        abandoned = (f"Evaluation of the expression containing the function\n"
                     f"({name}) will be abandoned.")
        if event.kind in (StopKind.EXITED, StopKind.KILLED) or not self.process.alive:
            raise EvaluationError(
                f"The program being debugged exited while in a function called from GDB.\n"
                f"{abandoned}")
        if event.kind is StopKind.BREAKPOINT:
            raise EvaluationError(
                f"The program being debugged stopped while in a function called from GDB.\n"
                f"{abandoned}\nWhen the function is done executing, GDB will silently stop.")
        raise EvaluationError(
            "The program being debugged was signaled while in a function called from GDB.\n"
            "GDB remains in the frame where the signal was received.\n"
            'To change this behavior use "set unwindonsignal on".\n'
            f"{abandoned}\nWhen the function is done executing, GDB will silently stop.")


def _unknown(type_: Type) -> bool:
    """A type the debug info does not describe (an assembly function's, in ld.so)."""
    bare = strip(type_)
    return isinstance(bare, BaseType) and bare.name == "?"


def _callee(function: Value) -> tuple[int, FunctionType]:
    bare = strip(function.type)
    if isinstance(bare, FunctionType):
        return function.address or 0, bare
    if isinstance(bare, PointerType) and isinstance(strip(bare.target), FunctionType):
        target = strip(bare.target)
        assert isinstance(target, FunctionType)
        return to_int(function), target
    raise EvaluationError("Invalid data type for function to be called.")


def _converted(argument: Value, param: Type | None) -> Value:
    """An argument as the callee takes it: converted to the prototype's parameter type,
    else C's default promotions (a float is passed as a double)."""
    bare = strip(argument.type)
    if param is not None:
        if isinstance(strip(param), StructType):
            if argument.data is None or bare.size != strip(param).size:
                raise EvaluationError("Invalid cast.")
            return Value(param, argument.data)
        if isinstance(bare, ArrayType) and argument.address is None:
            return argument
        return cast(argument, param)
    if isinstance(bare, ArrayType | StructType | FunctionType):
        return argument
    if is_float(bare):
        return cast(argument, DOUBLE) if bare.size < 8 else argument
    return cast(argument, promote(argument.type))


def _returned_in_memory(type_: Type) -> bool:
    bare = strip(type_)
    return isinstance(bare, StructType | ArrayType) and classify(bare) is None


def _place(frame: _Frame, value: Value) -> None:
    """One argument into the next registers of its classes, or onto the stack."""
    bare = strip(value.type)
    data = value.data or b""
    if is_float(bare) and bare.size <= 8:
        if len(frame.vectors) < 8:
            frame.vectors.append(data)
        else:
            frame.stack_words.append(data.ljust(8, b"\0"))
        return
    classes = classify(bare) if isinstance(bare, StructType) else ["integer"]
    if classes is None or is_float(bare):
        frame.stack_words.append(data.ljust((len(data) + 7) // 8 * 8, b"\0"))
        return
    words = [data[i : i + 8].ljust(8, b"\0") for i in range(0, max(len(data), 1), 8)]
    needed_int = classes.count("integer")
    needed_sse = classes.count("sse")
    if frame.integers + needed_int > 6 or len(frame.vectors) + needed_sse > 8:
        frame.stack_words.extend(words)
        return
    for kind, word in zip(classes, words, strict=False):
        if kind == "sse":
            frame.vectors.append(word)
        else:
            number = int.from_bytes(word, "little")
            if not isinstance(bare, StructType) and len(data) < 8:
                number = to_int(value) & (2**64 - 1)
            frame.registers[_INTEGER_REGISTERS[frame.integers]] = number
            frame.integers += 1
