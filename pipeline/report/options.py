"""How a report is drawn, apart from the modules that draw it: the command line reads these
before altair is imported (pipeline/report/outputs.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

# Parts of a report a person can leave out of what they share (like a phone's health app).
PARTS = ("activity", "food", "sleep", "weight", "waist", "glucose")
PAPERS = {"a4": "A4", "letter": "letter"}


@dataclass(frozen=True)
class Options:
    """How a report is drawn: the label, the parts left out, and whether it is for paper."""

    label: str | None = None
    hidden: frozenset[str] = field(default_factory=frozenset)
    paper: str | None = None
    about: str | None = None  # what a comparison is made around (compare --around NOTE)
    notes: bool = True  # the person's notes drawn and listed (a share bundle asks first)

    def shows(self, part: str) -> bool:
        return part not in self.hidden
