"""What deet dap tells a client it can do, and which method answers each request."""

CAPABILITIES = {
    "supportsConfigurationDoneRequest": True,
    "supportsFunctionBreakpoints": True,
    "supportsConditionalBreakpoints": True,
    "supportsHitConditionalBreakpoints": True,
    "supportsEvaluateForHovers": True,
    "supportsSetVariable": True,
    "supportsTerminateRequest": True,
    "supportTerminateDebuggee": True,
    "exceptionBreakpointFilters": [],
}

# DAP's request names -> the methods answering them.
REQUESTS = {
    "initialize": "_on_initialize",
    "launch": "_on_launch",
    "attach": "_on_attach",
    "configurationDone": "_on_configuration_done",
    "setBreakpoints": "_on_set_breakpoints",
    "setFunctionBreakpoints": "_on_set_function_breakpoints",
    "setExceptionBreakpoints": "_on_set_exception_breakpoints",
    "continue": "_on_continue",
    "next": "_on_next",
    "stepIn": "_on_step_in",
    "stepOut": "_on_step_out",
    "pause": "_on_pause",
    "threads": "_on_threads",
    "stackTrace": "_on_stack_trace",
    "scopes": "_on_scopes",
    "variables": "_on_variables",
    "evaluate": "_on_evaluate",
    "setVariable": "_on_set_variable",
    "disconnect": "_on_disconnect",
    "terminate": "_on_terminate",
}

