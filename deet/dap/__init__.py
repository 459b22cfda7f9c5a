"""``deet dap``: the Debug Adapter Protocol on stdin and stdout, so that editors (VS Code,
Neovim's nvim-dap, Emacs's dape, Helix) drive deet. A front end like the REPL and the
API: requests become deet's own commands (``commands.execute``) and their results become
DAP responses and events, with values in gdb's text from ``deet.render``.

``wire.py`` frames messages (Content-Length), ``variables.py`` hands out the variable
references editors expand, ``session.py`` answers requests, ``server.py`` runs the loop.
"""
