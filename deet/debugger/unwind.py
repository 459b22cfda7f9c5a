"""Walking the stack. Each frame found is a ``FrameState``: its pc, the registers it had
as far as unwinding can recover them, and its canonical frame address (CFA: the caller's
%rsp before the call). Variables located relative to the frame use the same values.

Call-frame information (``.eh_frame``) says, for every pc, where the CFA and the caller's
registers are; it is right at any instruction, in code without frame pointers, in libc,
and across a signal handler's trampoline. Where a pc has no CFI, the walk falls back to
the frame-pointer chain DEET uses: [rbp+8] is the return address, [rbp] the caller's rbp.
Every step is checked, so a damaged stack ends the walk instead of raising.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from deet.debuginfo.cfi import RETURN_ADDRESS, UnwindRow
from deet.debuginfo.expressions import DWARF_REGISTERS, ExpressionError, Ops, evaluate
from deet.engine import MemoryAccessError

MAX_FRAMES = 100_000
CALLEE_SAVED = ("rbx", "rbp", "r12", "r13", "r14", "r15")
CALL_SIZE = 5
# An indirect call (ff /2) is 2, 3 or 6 bytes: through a register, [reg+disp8], [reg+disp32].
_INDIRECT_CALL_SIZES = (2, 3, 6)
_LONGEST_CALL = max(CALL_SIZE, *_INDIRECT_CALL_SIZES)
XMM0 = 160

Read = Callable[[int, int], bytes]
RuleLookup = Callable[[int], UnwindRow | None]


@dataclass(frozen=True)
class FrameAccess:
    """One frame's registers (as far as they are known), its CFA and the program's memory:
    what DWARF expressions read, for call-frame rules here and for variables in frames.py.
    ``bias``: the load bias of the object whose debug info the expressions come from."""

    registers: Mapping[str, int]
    cfa: int | None
    memory: Read
    bias: int = 0
    # What the frame's caller passed (DW_OP_entry_value), when it can be known.
    entry: Callable[[Ops], int] | None = None
    # The FXSAVE area (%xmm registers from byte 160), for values kept in %xmm registers.
    vectors: Callable[[], bytes] | None = None

    def register(self, name: str) -> int:
        if name.startswith("xmm"):
            return int.from_bytes(self.vector(name)[:8], "little")
        if name not in self.registers:
            raise ExpressionError(f"register {name} of this frame was not saved")
        return self.registers[name]

    def vector(self, name: str) -> bytes:
        """The 16 bytes of register %xmmN."""
        if self.vectors is None:
            raise ExpressionError(f"register {name} of this frame was not saved")
        start = XMM0 + 16 * int(name[3:])
        return self.vectors()[start : start + 16]

    def entry_value(self, ops: Ops) -> int:
        if self.entry is None:
            raise ExpressionError("the value at the function's entry is not known")
        return self.entry(ops)

    def read(self, address: int, size: int) -> bytes:
        return self.memory(address, size)


@dataclass(frozen=True)
class FrameState:
    pc: int
    registers: Mapping[str, int]
    cfa: int | None
    # True where pc is the instruction itself (the innermost frame, or the frame a signal
    # interrupted), not a return address: a return address is looked up as pc - 1.
    exact_pc: bool = True
    # The frame of the kernel's signal trampoline, which gdb shows as <signal handler called>.
    signal_trampoline: bool = False

    @property
    def lookup_pc(self) -> int:
        return self.pc if self.exact_pc else self.pc - 1


class _UnreadableError(Exception):
    pass


def unwind(registers: Mapping[str, int], read: Read, rule_at: RuleLookup) -> Iterator[FrameState]:
    """Frame 0 from the live registers, then each caller, innermost first."""
    frame = _with_cfa(FrameState(registers["rip"], dict(registers), None), rule_at, read,
                      innermost=True)
    innermost = True
    seen: set[tuple[int, int | None]] = set()
    for _ in range(MAX_FRAMES):
        yield frame
        seen.add((frame.pc, frame.cfa))
        caller = _caller(frame, rule_at, read, innermost)
        innermost = False
        if caller is None or caller.pc == 0 or (caller.pc, caller.cfa) in seen:
            return
        if (frame.cfa is not None and caller.cfa is not None and caller.cfa <= frame.cfa
                and not frame.signal_trampoline):
            return
        frame = caller


def _with_cfa(frame: FrameState, rule_at: RuleLookup, read: Read,
              innermost: bool = False) -> FrameState:
    row = rule_at(frame.lookup_pc)
    try:
        if row:
            cfa = _cfa(row, frame.registers, read)
        elif innermost and (caller := _by_return_address_on_top(frame.registers, read)):
            cfa = caller["rsp"]
        else:
            cfa = _frame_pointer_cfa(frame)
    except _UnreadableError:
        cfa = None
    return FrameState(frame.pc, frame.registers, cfa, frame.exact_pc,
                      bool(row and row.signal_frame))


def _caller(frame: FrameState, rule_at: RuleLookup, read: Read,
            innermost: bool = False) -> FrameState | None:
    row = rule_at(frame.lookup_pc)
    try:
        if row:
            registers = _by_cfi(row, frame.registers, read)
        else:
            registers = ((innermost and _by_return_address_on_top(frame.registers, read))
                         or _by_frame_pointer(frame.registers, read))
    except _UnreadableError:
        return None
    if registers is None:
        return None
    caller = FrameState(registers["rip"], registers, None, exact_pc=frame.signal_trampoline)
    return _with_cfa(caller, rule_at, read)


def _cfa(row: UnwindRow, registers: Mapping[str, int], read: Read) -> int:
    rule = row.cfa
    if rule.expression is not None:
        return _evaluate(rule.expression, registers, read)
    return _register(registers, rule.register) + rule.offset


def _by_cfi(row: UnwindRow, registers: Mapping[str, int],
            read: Read) -> dict[str, int] | None:
    """The caller's registers by the CFI row in force at the callee's pc. A register the
    CFI says nothing of has the same value in the caller (gdb's rule for an unspecified
    register; compilers leave out the "same value" rules)."""
    cfa = _cfa(row, registers, read)
    caller = dict(registers)
    caller["rsp"] = cfa
    return_rule = row.registers.get(RETURN_ADDRESS)
    if return_rule is None or return_rule.kind == "UNDEFINED":
        return None  # the outermost frame (_start, a thread's entry)
    for regno, rule in row.registers.items():
        if regno >= len(DWARF_REGISTERS):
            continue
        name = DWARF_REGISTERS[regno]
        if rule.kind == "OFFSET":
            caller[name] = _word(read, cfa + rule.offset)
        elif rule.kind == "VAL_OFFSET":
            caller[name] = cfa + rule.offset
        elif rule.kind == "REGISTER":
            caller[name] = _register(registers, rule.register)
        elif rule.kind == "EXPRESSION":
            caller[name] = _word(read, _evaluate(rule.expression, registers, read, cfa))
        elif rule.kind == "VAL_EXPRESSION":
            caller[name] = _evaluate(rule.expression, registers, read, cfa)
        elif rule.kind == "UNDEFINED":
            caller.pop(name, None)
    if "rip" not in caller:
        return None
    return caller


def _frame_pointer_cfa(frame: FrameState) -> int | None:
    """With a frame pointer set up, the CFA sits 16 bytes above it (return address + saved
    %rbp); a zero or misaligned %rbp is no frame pointer."""
    rbp = frame.registers.get("rbp", 0)
    return rbp + 16 if rbp and rbp % 8 == 0 else None


def _by_return_address_on_top(registers: Mapping[str, int],
                               read: Read) -> dict[str, int] | None:
    """Code without CFI stopped where no frame is set up (glibc's clone3 after its system
    call ends its FDE there): if the word on top of the stack is a return address, the
    caller is there, as gdb's prologue analysis concludes for a frameless function."""
    rsp = registers.get("rsp", 0)
    return_address = _word(read, rsp)
    if return_address < CALL_SIZE or not _follows_call(read, return_address):
        return None
    return {**{name: registers[name] for name in CALLEE_SAVED if name in registers},
            "rip": return_address, "rsp": rsp + 8}


def _follows_call(read: Read, address: int) -> bool:
    """Whether the instruction before ``address`` is a call (rel32, or indirect through a
    register or memory: ff /2, up to 6 bytes long, so 6 bytes are read)."""
    try:
        before = read(address - _LONGEST_CALL, _LONGEST_CALL)
    except MemoryAccessError:
        return False
    if len(before) < _LONGEST_CALL:
        return False
    if before[-CALL_SIZE] == 0xE8:
        return True
    return any(before[-length] == 0xFF and (before[-length + 1] >> 3) & 7 == 2
               for length in _INDIRECT_CALL_SIZES)


def _by_frame_pointer(registers: Mapping[str, int], read: Read) -> dict[str, int] | None:
    rbp = registers.get("rbp", 0)
    if not rbp or rbp % 8:
        return None
    return_address = _word(read, rbp + 8)
    caller_rbp = _word(read, rbp)
    if not return_address or (caller_rbp and caller_rbp <= rbp):
        return None
    return {"rip": return_address, "rsp": rbp + 16, "rbp": caller_rbp}


def _register(registers: Mapping[str, int], regno: int | None) -> int:
    if regno is None or regno >= len(DWARF_REGISTERS):
        raise _UnreadableError
    value = registers.get(DWARF_REGISTERS[regno])
    if value is None:
        raise _UnreadableError
    return value


def _word(read: Read, address: int) -> int:
    try:
        return int.from_bytes(read(address, 8), "little")
    except MemoryAccessError as exc:
        raise _UnreadableError from exc


def _evaluate(expression: Ops, registers: Mapping[str, int], read: Read,
              cfa: int | None = None) -> int:
    """CFI expressions start with the CFA pushed (DWARF 5, 6.4.2.3) when there is one."""
    try:
        return evaluate(expression, FrameAccess(registers, cfa, read),
                        (cfa,) if cfa is not None else ())
    except (ExpressionError, MemoryAccessError, IndexError) as exc:
        raise _UnreadableError from exc


# gdb's register order (amd64), in which ``info frame`` lists the saved registers.
GDB_REGISTER_ORDER = ("rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "r8", "r9",
                      "r10", "r11", "r12", "r13", "r14", "r15", "rip")


def outermost(frame: FrameState, rule_at: RuleLookup) -> bool:
    """Whether the CFI says ``frame`` has no caller (its return address is undefined, as
    in ``_start`` and a thread's entry): gdb's "Outermost frame"."""
    row = rule_at(frame.lookup_pc)
    if row is None:
        return False
    rule = row.registers.get(RETURN_ADDRESS)
    return rule is None or rule.kind == "UNDEFINED"


def caller_of(frame: FrameState, rule_at: RuleLookup, read: Read,
              innermost: bool = False) -> FrameState | None:
    """``frame``'s caller as the walk finds it (``info frame``'s saved rip, which gdb
    finds even past ``main``, where the backtrace ends)."""
    return _caller(frame, rule_at, read, innermost)


def saved_slots(frame: FrameState, rule_at: RuleLookup, read: Read,
                innermost: bool = False) -> dict[str, int]:
    """Where the caller's registers are saved in memory (register -> address), by the CFI
    row at ``frame``'s pc (offsets from the CFA, or expressions, as a signal frame's are),
    or, without CFI, where the walk found the caller (the return address on top of the
    stack of an innermost frame that set none up, or the frame-pointer chain's slots):
    what gdb's ``info frame`` lists
    under "Saved registers" (in gdb's register order; ``rsp`` only where it is in memory,
    which gdb tells apart as "Previous frame's sp at")."""
    row = rule_at(frame.lookup_pc)
    slots: dict[str, int] = {}
    if row is None:
        rbp = frame.registers.get("rbp", 0)
        try:
            on_top = innermost and _by_return_address_on_top(frame.registers, read)
        except _UnreadableError:
            on_top = None
        if on_top:
            slots = {"rip": frame.registers["rsp"]}
        elif rbp and rbp % 8 == 0:
            slots = {"rbp": rbp, "rip": rbp + 8}
    elif frame.cfa is not None:
        for regno, rule in row.registers.items():
            if regno >= len(DWARF_REGISTERS):
                continue
            if rule.kind == "OFFSET":
                slots[DWARF_REGISTERS[regno]] = frame.cfa + rule.offset
            elif rule.kind == "EXPRESSION":
                try:
                    slots[DWARF_REGISTERS[regno]] = _evaluate(
                        rule.expression, frame.registers, read, frame.cfa)
                except _UnreadableError:
                    continue
    return {name: slots[name] for name in GDB_REGISTER_ORDER if name in slots}
