"""Ctrl-C that is never lost.

Python turns SIGINT into KeyboardInterrupt wherever the main thread happens to be, and a
few places swallow it: inside an import's lock callback it becomes "Exception ignored"
and the run goes on; inside a lazy import it can leave a module half made, and a later
line fails with a TypeError. So the handler also notes that Ctrl-C was pressed: the CLI
checks the note between stages (a lost interrupt stops the run at the next stage, before
anything is written) and reads any error raised after it as the interruption it is.
"""

from __future__ import annotations

import signal
import threading

_pressed = False


def _on_sigint(signum, frame) -> None:
    global _pressed
    _pressed = True
    raise KeyboardInterrupt


def install() -> None:
    """Handle Ctrl-C as above (only the main thread may set a handler; elsewhere a no-op)."""
    global _pressed
    _pressed = False
    if threading.current_thread() is threading.main_thread() \
            and signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _on_sigint)


def pressed() -> bool:
    """Whether Ctrl-C was pressed since ``install``."""
    return _pressed


def check() -> None:
    """Raise KeyboardInterrupt if Ctrl-C was pressed, even if its first one was swallowed."""
    if _pressed:
        raise KeyboardInterrupt
