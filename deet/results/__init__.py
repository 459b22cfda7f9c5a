"""What commands and the running program produce, as typed values.

Commands return these; the debugger core announces some of them as events while the
program runs (a fork let go of, an exec, a breakpoint that could not be inserted).
``deet.render`` is the only place that turns them into text or JSON, and the Python API
hands them to callers as they are. ``shown`` holds the value tree printed values carry.
"""

from __future__ import annotations

from deet.debuginfo import SourceLocation
from deet.results import data, frames, processes, running, session, shown, world
from deet.results.data import (
    CodeRow,
    Disassembly,
    Examined,
    Listing,
    MemoryRow,
    Printed,
    RegisterRow,
    RegisterTable,
    SourceLine,
    Variables,
)
from deet.results.frames import (
    Backtrace,
    CurrentInferior,
    CurrentThread,
    Finished,
    Frame,
    FrameArg,
    FrameLine,
    FrameReport,
    InferiorList,
    InferiorRow,
    InferiorSwitched,
    RunTillExit,
    Stepped,
    ThreadList,
    ThreadRow,
    ThreadSwitched,
    ThreadTag,
)
from deet.results.processes import Diagnostic, ForkSite, ProcessList, ProcessRow
from deet.results.reprs import install
from deet.results.running import (
    BreakpointDropped,
    ConditionError,
    ExecStarted,
    ExecWithoutDebugInfo,
    Exited,
    ForkDetached,
    ForkFollowed,
    InferiorDetached,
    InferiorKilled,
    InsertFailed,
    NewInferior,
    ProgramOutput,
    Signaled,
    SignalReceived,
    Stopped,
    StopReason,
    TimedOut,
)
from deet.results.session import (
    BreakpointRow,
    BreakpointSet,
    BreakpointTable,
    CommandEcho,
    ConditionChanged,
    Error,
    Message,
    Quit,
    SettingValue,
    SettingValues,
    SharedLibraries,
    SharedLibrary,
    SignalRow,
    SignalTable,
)
from deet.results.world import (
    CommandDone,
    EnvironmentChanged,
    EnvironmentVariables,
    ProgramArguments,
    WorkingDirectory,
)

install(data, frames, processes, running, session, shown, world)

# Everything a command returns or the debugger announces.
Result = (
    Stopped | Exited | Signaled | TimedOut | InferiorKilled | ProgramOutput
    | SignalReceived | ConditionError | InsertFailed | BreakpointDropped | NewInferior
    | ForkFollowed | ForkDetached | InferiorDetached | ExecStarted | ExecWithoutDebugInfo
    | BreakpointSet | BreakpointTable | ConditionChanged | SharedLibraries | SettingValue
    | SettingValues | SignalTable | Message | Error | Quit | CommandEcho
    | Printed | Variables | Listing | Examined | Disassembly | RegisterTable
    | Backtrace | FrameReport | Stepped | RunTillExit | Finished
    | ThreadList | ThreadSwitched | CurrentThread | InferiorList | InferiorSwitched
    | CurrentInferior | ProcessList | Diagnostic
    | ProgramArguments | WorkingDirectory | EnvironmentVariables | EnvironmentChanged
    | CommandDone
)

__all__ = [
    "Backtrace",
    "BreakpointDropped",
    "BreakpointRow",
    "BreakpointSet",
    "BreakpointTable",
    "CodeRow",
    "CommandDone",
    "CommandEcho",
    "ConditionChanged",
    "ConditionError",
    "CurrentInferior",
    "CurrentThread",
    "Diagnostic",
    "Disassembly",
    "EnvironmentChanged",
    "EnvironmentVariables",
    "Error",
    "Examined",
    "ExecStarted",
    "ExecWithoutDebugInfo",
    "Exited",
    "Finished",
    "ForkDetached",
    "ForkFollowed",
    "ForkSite",
    "Frame",
    "FrameArg",
    "FrameLine",
    "FrameReport",
    "InferiorDetached",
    "InferiorKilled",
    "InferiorList",
    "InferiorRow",
    "InferiorSwitched",
    "InsertFailed",
    "Listing",
    "MemoryRow",
    "Message",
    "NewInferior",
    "Printed",
    "ProcessList",
    "ProcessRow",
    "ProgramArguments",
    "ProgramOutput",
    "Quit",
    "RegisterRow",
    "RegisterTable",
    "Result",
    "RunTillExit",
    "SettingValue",
    "SettingValues",
    "SharedLibraries",
    "SharedLibrary",
    "SignalReceived",
    "SignalRow",
    "SignalTable",
    "Signaled",
    "SourceLine",
    "SourceLocation",
    "Stepped",
    "StopReason",
    "Stopped",
    "ThreadList",
    "ThreadRow",
    "ThreadSwitched",
    "ThreadTag",
    "TimedOut",
    "Variables",
    "WorkingDirectory",
]
