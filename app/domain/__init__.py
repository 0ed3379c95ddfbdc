"""Pure domain rules shared by the desktop client and the activation server.

Nothing here imports Qt, HTTP or database code, so both sides read one source of truth.
"""
