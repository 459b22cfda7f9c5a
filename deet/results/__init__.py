"""What commands and the running program produce, as typed values.

Commands return these; the debugger core announces some of them as events while the
program runs (a fork let go of, an exec, a breakpoint that could not be inserted).
``deet.render`` is the only place that turns them into text or JSON, and the Python API
hands them to callers as they are. ``shown`` holds the value tree printed values carry.
"""

from __future__ import annotations

from deet.debuginfo import SourceLocation
from deet.results.data import (
    CodeRow,
    Disassembly,
    Examined,
    LineInfo,
    Listing,
    MemoryRow,
    Printed,
    RegisterRow,
    RegisterTable,
    SourceInfo,
    SourceLine,
    SymbolInfo,
    SymbolListing,
    SymbolMatch,
    TypeBody,
    TypeMember,
    TypeShown,
    Variables,
)
from deet.results.frames import (
    Backtrace,
    CurrentInferior,
    CurrentThread,
    Finished,
    Frame,
    FrameArg,
    FrameInfo,
    FrameLine,
    FrameReport,
    InferiorList,
    InferiorRow,
    InferiorSwitched,
    RunTillExit,
    Stepped,
    ThreadApplied,
    ThreadList,
    ThreadRow,
    ThreadSwitched,
    ThreadTag,
)
from deet.results.processes import Diagnostic, ForkSite, ProcessList, ProcessRow
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
    Completions,
    ConditionChanged,
    Error,
    IgnoreCount,
    InternalError,
    Message,
    OutputValue,
    Printf,
    Quit,
    ScriptOutput,
    SettingValue,
    SettingValues,
    SharedLibraries,
    SharedLibrary,
    SignalRow,
    SignalTable,
)
from deet.results.targets import Attached, CoreLoaded, Detached
from deet.results.watching import (
    DisplayItem,
    DisplayRow,
    Displays,
    DisplayTable,
    WatchHit,
    WatchpointRow,
    WatchpointSet,
    WatchpointStopped,
)
from deet.results.world import (
    CommandDone,
    EnvironmentChanged,
    EnvironmentVariables,
    ProgramArguments,
    WorkingDirectory,
)

# Everything a command returns or the debugger announces.
Result = (
    Stopped | Exited | Signaled | TimedOut | InferiorKilled | ProgramOutput
    | SignalReceived | ConditionError | InsertFailed | BreakpointDropped | NewInferior
    | ForkFollowed | ForkDetached | InferiorDetached | ExecStarted | ExecWithoutDebugInfo
    | BreakpointSet | BreakpointTable | ConditionChanged | IgnoreCount | ScriptOutput | Printf
    | OutputValue | Completions
    | SharedLibraries | SettingValue
    | SettingValues | SignalTable | Message | Error | Quit | CommandEcho
    | Printed | TypeShown | Variables | Listing | LineInfo | SourceInfo | SymbolListing
    | SymbolInfo
    | Examined | Disassembly
    | RegisterTable
    | Backtrace | FrameReport | FrameInfo | Stepped | RunTillExit | Finished
    | ThreadList | ThreadSwitched | ThreadApplied | CurrentThread | InferiorList | InferiorSwitched
    | CurrentInferior | ProcessList | Diagnostic
    | ProgramArguments | WorkingDirectory | EnvironmentVariables | EnvironmentChanged
    | CommandDone | Attached | Detached | CoreLoaded
    | WatchpointSet | WatchpointStopped | Displays | DisplayTable
)

__all__ = [
    "Attached",
    "Backtrace",
    "BreakpointDropped",
    "BreakpointRow",
    "BreakpointSet",
    "BreakpointTable",
    "CodeRow",
    "CommandDone",
    "CommandEcho",
    "Completions",
    "ConditionChanged",
    "ConditionError",
    "CoreLoaded",
    "CurrentInferior",
    "CurrentThread",
    "Detached",
    "Diagnostic",
    "Disassembly",
    "DisplayItem",
    "DisplayRow",
    "DisplayTable",
    "Displays",
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
    "FrameInfo",
    "FrameLine",
    "FrameReport",
    "IgnoreCount",
    "InferiorDetached",
    "InferiorKilled",
    "InferiorList",
    "InferiorRow",
    "InferiorSwitched",
    "InsertFailed",
    "InternalError",
    "LineInfo",
    "Listing",
    "MemoryRow",
    "Message",
    "NewInferior",
    "OutputValue",
    "Printed",
    "Printf",
    "ProcessList",
    "ProcessRow",
    "ProgramArguments",
    "ProgramOutput",
    "Quit",
    "RegisterRow",
    "RegisterTable",
    "Result",
    "RunTillExit",
    "ScriptOutput",
    "SettingValue",
    "SettingValues",
    "SharedLibraries",
    "SharedLibrary",
    "SignalReceived",
    "SignalRow",
    "SignalTable",
    "Signaled",
    "SourceInfo",
    "SourceLine",
    "SourceLocation",
    "Stepped",
    "StopReason",
    "Stopped",
    "SymbolInfo",
    "SymbolListing",
    "SymbolMatch",
    "ThreadApplied",
    "ThreadList",
    "ThreadRow",
    "ThreadSwitched",
    "ThreadTag",
    "TimedOut",
    "TypeBody",
    "TypeMember",
    "TypeShown",
    "Variables",
    "WatchHit",
    "WatchpointRow",
    "WatchpointSet",
    "WatchpointStopped",
    "WorkingDirectory",
]
