"""Placeholder for `spectrum summary --all --month M --json` while the CLI has no `--all`:
the loop a user would otherwise run, `summary --person P --json` for every person, done in
one process (so it is not 1,000 process starts) the way the CLI does it.

    python tests/benchmarks/cohort_loop.py STORE YYYY-MM [N]

Prints one JSON list of every person's summary (of the first N people only, when given:
run.py scales that time to the whole cohort).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pipeline.config import load_config
from pipeline.recovery import open_store
from pipeline.store import Store
from pipeline.summary import month_period, summarize


def main(root: str, month: str, count: str | None = None) -> None:
    store = open_store(Store(Path(root)), print)
    cfg = load_config(Path(root))
    period = month_period(month)
    out = [
        summarize(store, person, period, cfg)
        for person in store.persons()[: int(count) if count else None]
    ]
    print(json.dumps(out))


if __name__ == "__main__":
    main(*sys.argv[1:4])
