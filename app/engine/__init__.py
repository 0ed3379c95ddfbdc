"""The license engine: domain.md section 4 for one device, with no window.

It imports no QtWidgets or QtGui (CI checks it), so it runs the same under a window, in
background mode from login, and behind ``standby license``. Views (the window, the tray,
the command line, the self-test) use only its public face: :class:`Engine`'s commands,
its :attr:`Engine.snapshot` and its signals, in the vocabulary of :mod:`app.engine.vocabulary`.
"""
