import sys

from deet.cli import main

sys.exit(main())
