from deet.cli import entry

entry()
