"""What both services' commands share. Kept free of heavy imports, like rcm_shared.serve:
a command imports what it needs once it runs."""

from __future__ import annotations

import sys
from collections.abc import Callable


class ConfigurationError(Exception):
    """Settings a service cannot start with; the message is one line naming each of them."""


def run_command(prog: str, command: Callable[[], int]) -> int:
    """A command's exit status; settings it cannot start with end it with one line on stderr
    and status 2, not a traceback."""
    try:
        return command()
    except ConfigurationError as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return 2
