"""Errors a user can act on. The CLI turns them into one `Error: ...` line and exit 1."""


class DataError(Exception):
    """A problem with the user's data or store: the message says how to fix it."""


class HostileInput(DataError):
    """A file built to harm (a zip bomb): the whole command stops, not only that file."""
