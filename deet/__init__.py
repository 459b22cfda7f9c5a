"""deet: a ptrace debugger for x86-64 Linux that answers the way gdb does."""

__version__ = "0.1.0"
