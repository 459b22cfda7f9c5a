"""``shell CMD``: a command for the user's own shell, not the program's: run by /bin/sh
with deet's terminal, and waited for by its own pid (never ``waitpid(-1)``)."""

from __future__ import annotations

import os
import subprocess
import sys


def run_shell(command: str) -> int:
    """Run ``command`` (an interactive shell when empty); its exit status."""
    sys.stdout.flush()
    argv = ["/bin/sh", "-c", command] if command.strip() else [os.environ.get("SHELL", "/bin/sh")]
    done = subprocess.run(argv, check=False)
    return done.returncode
