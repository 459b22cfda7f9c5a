"""What VS Code's DebugClient starts (it runs RUNTIME EXECUTABLE): ``deet dap``."""

import sys

from deet.cli import main

sys.exit(main(["dap"]))
