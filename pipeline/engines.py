"""Where a cohort's batches of people are computed: in this process or in local worker
processes (`local`), or on a Ray cluster (`ray`, an optional extra).

An engine decides only *where*. Every engine calls the same function on each batch of
people (cohort.summarise_batch, cohort.render_batch), which reads those people's partitions
of the store itself and returns their rows; the engine hands the rows back as batches
finish, and the caller puts them in the store's order. No metric is computed here, so the
results cannot depend on the engine or on how people are batched.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context

from pipeline.errors import DataError, first_line

ENGINES = ("local", "ray")
# a task whose worker died (killed, out of memory, a lost node) runs again, up to this often
TASK_RETRIES = 3
# a local Ray instance keeps its shared objects (the batches' rows) in this much memory
LOCAL_OBJECT_STORE = 256 * 1024**2
RAY_MISSING = (
    "--engine ray needs Ray, an optional extra: pip install -e '.[cluster]' in the spectrum "
    "folder (or pip install 'ray>=2.9'); --engine local needs nothing more."
)


def batches(people: list[str], size: int) -> list[list[str]]:
    """The people in batches of `size`, in the store's order."""
    return [people[i : i + size] for i in range(0, len(people), size)]


def batch_done(n: int, batches: int, done: int, people: int) -> str:
    """The progress line of a run without a progress bar (a job's log)."""
    return f"Batch {n} of {batches} done: {done:,} of {people:,} people."


def run(
    engine: str,
    fn: Callable[..., list],
    jobs: list[tuple],
    processes: int = 1,
    address: str | None = None,
) -> Iterator[list]:
    """Each job's `fn(*job)`, as the jobs finish (any order). `processes`: local worker
    processes (1: this process); `address`: the Ray cluster (default: $RAY_ADDRESS, else a
    Ray instance started here for this command)."""
    if engine == "ray":
        yield from _on_ray(fn, jobs, address)
    elif processes <= 1 or len(jobs) <= 1:
        yield from (fn(*job) for job in jobs)
    else:
        yield from _in_processes(fn, jobs, processes)


def _in_processes(fn: Callable[..., list], jobs: list[tuple], processes: int) -> Iterator[list]:
    # spawn, not fork: polars' thread pool does not survive a fork
    context = get_context("spawn")
    with ProcessPoolExecutor(min(processes, len(jobs)), mp_context=context) as pool:
        for done in as_completed([pool.submit(fn, *job) for job in jobs]):
            yield done.result()


def _on_ray(fn: Callable[..., list], jobs: list[tuple], address: str | None) -> Iterator[list]:
    try:
        import ray
    except ImportError:
        raise DataError(RAY_MISSING) from None
    started = not ray.is_initialized()
    # Ray's driver prints what it hears from the cluster ("(raylet) A worker died ...") on
    # stdout, where --json promises JSON alone: it goes to stderr
    quiet = contextlib.redirect_stdout(sys.stderr)
    quiet.__enter__()
    if started:
        _start(ray, address or os.environ.get("RAY_ADDRESS") or None)
    try:
        # Ray runs a task again when its worker dies; a task that raises is not run again
        # (the function already turned each person's own failure into that person's row) ...
        from pipeline.store import StoreUnreachable

        # ... unless the store did not answer (object storage, the network): that may pass
        task = ray.remote(max_retries=TASK_RETRIES, retry_exceptions=[StoreUnreachable])(fn)
        pending = [task.remote(*job) for job in jobs]
        while pending:
            done, pending = ray.wait(pending, num_returns=1)
            try:
                yield ray.get(done[0])
            except ray.exceptions.RayError as exc:
                first = first_line(exc, 200, last=True)
                raise DataError(
                    f"a batch failed on Ray ({first}); see the Ray logs of the cluster, or run "
                    "with --engine local."
                ) from None
    finally:
        if started:
            ray.shutdown()
        quiet.__exit__(None, None, None)


def _start(ray, address: str | None) -> None:
    """Connect to the cluster at `address`, or start a Ray instance on this machine."""
    quiet = {"include_dashboard": False, "log_to_driver": False, "configure_logging": False}
    if address and address != "auto":
        _answers(address)
    try:
        if address:
            ray.init(address=address, **quiet)
        else:
            ray.init(object_store_memory=LOCAL_OBJECT_STORE, **quiet)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        first = first_line(exc, 200)
        where = f"the Ray cluster at {address}" if address else "a local Ray instance"
        raise DataError(
            f"cannot start or reach {where} ({first}); check --ray-address / RAY_ADDRESS, or "
            "run with --engine local."
        ) from None


def _answers(address: str, timeout: float = 5.0) -> None:
    """A cluster address that does not answer is an error now: Ray itself keeps trying to
    connect for minutes."""
    host, _, port = address.removeprefix("ray://").rpartition(":")
    try:
        socket.create_connection((host or "127.0.0.1", int(port)), timeout=timeout).close()
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise DataError(
            f"the Ray cluster at {address} does not answer ({reason}); check --ray-address / "
            "RAY_ADDRESS (host:port of the head node), or run with --engine local."
        ) from None
