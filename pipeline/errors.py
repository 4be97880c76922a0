"""Errors a user can act on. The CLI turns them into one `Error: ...` line and exit 1."""


class DataError(Exception):
    """A problem with the user's data or store: the message says how to fix it."""


class HostileInput(DataError):
    """A file built to harm (a zip bomb): the whole command stops, not only that file."""


def first_line(exc: BaseException, limit: int = 160, last: bool = False) -> str:
    """The first (or `last`) line of an exception's message, cut to `limit` characters; its
    type's name when it says nothing (the libraries' messages run to many lines)."""
    lines = str(exc).strip().splitlines()
    return (lines[-1 if last else 0][:limit] if lines else "") or type(exc).__name__
