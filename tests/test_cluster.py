"""A study that outgrows one machine: the cohort summary on Ray, the store on object storage
(a local S3 endpoint: moto's server on 127.0.0.1, started and stopped here).

The same 300 people are summarised by every engine, batch size and store location, and
every result must equal the local one value for value (floats to 1e-9 relative)."""

from __future__ import annotations

import json
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli

MONTH = "2026-10"
PEOPLE = 300
RAY = pytest.importorskip("ray") if not os.environ.get("CI") else None  # CI installs it


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """300 people x 123 days (October and its three months of baseline) of daily activity
    and food, the benchmark's cohort generator at a smaller size."""
    from tests.benchmarks.build import cohort_store

    root, ids, _ = cohort_store(tmp_path_factory.mktemp("cohort"), PEOPLE, 123)
    assert len(ids) == PEOPLE
    return root


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3(store):
    """The store uploaded to a bucket of a local S3 endpoint (moto's server, in a process of
    its own, as a real endpoint would be); yields (uri, environment)."""
    import boto3

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "moto's server did not start"
                time.sleep(0.1)
        env = {
            "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}",
            "AWS_ALLOW_HTTP": "true",  # the local endpoint speaks plain HTTP
            "AWS_ACCESS_KEY_ID": "test",
            "AWS_SECRET_ACCESS_KEY": "test",
            "AWS_REGION": "us-east-1",
        }
        client = boto3.client(
            "s3",
            endpoint_url=env["AWS_ENDPOINT_URL"],
            aws_access_key_id="test",
            aws_secret_access_key="test",
            region_name="us-east-1",
        )
        client.create_bucket(Bucket="study")
        for path in store.rglob("*"):
            if path.is_file() and not path.name.startswith("."):
                client.upload_file(str(path), "study", f"cohort/{path.relative_to(store)}")
        yield "s3://study/cohort", env
    finally:
        server.terminate()
        server.wait(timeout=30)


def run_here(store, *args: str):
    result = CliRunner().invoke(cli, ["--store", str(store), *args], catch_exceptions=False)
    return result


def spectrum(store, *args: str, env: dict | None = None, timeout: float = 300):
    """The CLI in a process of its own (Ray starts its instance there, and stops it)."""
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "--store", str(store), *args],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def summary_all(store, *args: str) -> list[dict]:
    result = run_here(store, "summary", "--all", "--month", MONTH, "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def local(store) -> list[dict]:
    """Everyone, in one batch, in this process: the reference."""
    found = summary_all(store, "--batch-size", str(PEOPLE))
    assert len(found) == PEOPLE and all("coverage" in r for r in found)
    return found


def same(a, b, path: str = "") -> None:
    """Equal value for value; floats to 1e-9 relative."""
    if isinstance(a, float) and isinstance(b, float):
        assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12), f"{path}: {a} != {b}"
    elif isinstance(a, dict) and isinstance(b, dict):
        assert a.keys() == b.keys(), f"{path}: {sorted(a)} != {sorted(b)}"
        for key in a:
            same(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, list) and isinstance(b, list):
        assert len(a) == len(b), f"{path}: {len(a)} != {len(b)} items"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            same(x, y, f"{path}[{i}]")
    else:
        assert a == b, f"{path}: {a!r} != {b!r}"


def test_ray_on_object_storage_equals_local(s3, local):
    uri, env = s3
    result = spectrum(uri, "summary", "--all", "--month", MONTH, "--json", "--engine", "ray",
                      "--batch-size", "50", env=env)  # fmt: skip
    assert result.returncode == 0, result.stderr
    same(json.loads(result.stdout), local)
    # progress per batch, on stderr (stdout is the JSON alone)
    assert "Batch 6 of 6 done: 300 of 300 people." in result.stderr


@pytest.mark.parametrize("size", ["7", "1"])
def test_any_batch_size_gives_the_same_summaries(store, local, size):
    if size == "1":  # 300 batches: on Ray's two workers, as a study would run them
        result = spectrum(store, "summary", "--all", "--month", MONTH, "--json",
                          "--engine", "ray", "--batch-size", "1")  # fmt: skip
        assert result.returncode == 0, result.stderr
        same(json.loads(result.stdout), local)
    else:
        same(summary_all(store, "--batch-size", size), local)


def ray_workers_running(name: str) -> list[int]:
    """Processes whose title Ray set to the task they run ("ray::summarise_batch")."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                title = (entry / "cmdline").read_bytes().split(b"\0")[0].decode()
            except OSError:
                continue
            if title.startswith(f"ray::{name}"):
                found.append(int(entry.name))
    return found


def test_a_killed_worker_is_retried_and_the_result_is_complete(store, local):
    args = [sys.executable, "-m", "pipeline", "--store", str(store), "summary", "--all",
            "--month", MONTH, "--json", "--engine", "ray", "--batch-size", "7"]  # fmt: skip
    run = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    killed = None
    deadline = time.monotonic() + 120
    while killed is None and run.poll() is None and time.monotonic() < deadline:
        busy = ray_workers_running("summarise_batch")
        if busy:
            os.kill(busy[0], signal.SIGKILL)
            killed = busy[0]
        time.sleep(0.02)
    out, err = run.communicate(timeout=300)
    assert killed is not None, "no Ray worker was seen running a batch"
    assert run.returncode == 0, err
    same(json.loads(out), local)


@pytest.mark.parametrize("damage", ["deleted", "cut in half"])
def test_a_person_whose_data_cannot_be_read_gets_a_reason(store, local, tmp_path, damage):
    broken = tmp_path / "store"
    shutil.copytree(store, broken)
    who = local[17]["person"]
    part = next((broken / "tables" / "activity_daily" / f"person={who}").glob("*.parquet"))
    if damage == "deleted":
        part.unlink()  # the Delta log still names it: reading this person fails
    else:  # polars' reader panics on it (a BaseException in Python)
        part.write_bytes(part.read_bytes()[: part.stat().st_size // 2])
    found = summary_all(broken, "--batch-size", "50")
    assert [r["person"] for r in found] == [r["person"] for r in local]
    assert found[17]["error"].startswith("could not be summarised: ")
    same(found[:17] + found[18:], local[:17] + local[18:])


def test_a_store_that_stops_answering_is_nobodys_fault(monkeypatch):
    """A failure while object storage does not answer stops the run (StoreUnreachable)
    instead of giving each person an error row."""
    from pipeline.cohort import persons_fault
    from pipeline.store import Store, StoreUnreachable

    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")  # nobody there
    monkeypatch.setenv("AWS_ALLOW_HTTP", "true")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    with pytest.raises(StoreUnreachable, match="cannot reach the store at s3://gone/store"):
        persons_fault(Store("s3://gone/store"), ValueError("a read failed"))
    assert not persons_fault(Store("s3://gone/store"), KeyboardInterrupt())


def test_a_cluster_that_does_not_answer_is_an_error_at_once(store):
    port = free_port()
    result = run_here(store, "summary", "--all", "--month", MONTH, "--engine", "ray",
                      "--ray-address", f"127.0.0.1:{port}")  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: the Ray cluster at 127.0.0.1:{port} does not answer (Connection refused); "
        "check --ray-address / RAY_ADDRESS (host:port of the head node), or run with "
        "--engine local.\n"
    )


def test_without_ray_the_engine_says_how_to_install_it(store, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # as if it were not installed
    result = run_here(store, "summary", "--all", "--month", MONTH, "--engine", "ray")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: --engine ray needs Ray, an optional extra: pip install -e '.[cluster]' in the "
        "spectrum folder (or pip install 'ray>=2.9'); --engine local needs nothing more.\n"
    )


def test_engine_options_go_with_all(store):
    result = run_here(store, "summary", "--month", MONTH, "--engine", "ray")
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "Error: --engine, --ray-address and --batch-size go with --all.\n"
    )


def test_object_storage_is_read_and_never_written(s3, local, tmp_path, monkeypatch):
    uri, env = s3
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    who = local[0]["person"]
    mine = run_here(uri, "summary", "--month", MONTH, "--person", who, "--json")
    assert mine.exit_code == 0, mine.output
    same(json.loads(mine.stdout), local[0])
    page = tmp_path / "r.html"
    assert (
        run_here(uri, "report", "--month", MONTH, "--person", who, "-o", str(page)).exit_code == 0
    )
    assert page.stat().st_size > 100_000
    logged = run_here(uri, "log").stdout.splitlines()  # the daily file, the food
    assert [line.split()[2] for line in logged] == ["stored", "stored"]
    refused = (
        f"Error: the store {uri} is on object storage, which spectrum reads but does not write; "
        "ingest into a local store (--store DIR) and upload that folder (README: Beyond one "
        "machine).\n"
    )
    for args in (["ingest", str(page)], ["undo"], ["note", "add", "2026-10-01", "x"]):
        result = run_here(uri, *args)
        assert (result.exit_code, result.stderr) == (1, refused)
    wrong = run_here("s3://study/typo", "log")
    assert (wrong.exit_code, wrong.stderr) == (1, (
        "Error: there is no spectrum store at s3://study/typo (no ingest_log table there); "
        "check the bucket and prefix: the folder you uploaded holds tables/ and ingest_log/.\n"
    ))  # fmt: skip


def test_the_buckets_config_toml_is_the_stores_settings(s3, monkeypatch):
    import boto3

    uri, env = s3
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=env["AWS_ENDPOINT_URL"], region_name="us-east-1")
    client.put_object(Bucket="study", Key="other/config.toml", Body=b"baseline_months = 2\n")
    client.put_object(Bucket="study", Key="other/ingest_log/x", Body=b"")  # not a store yet
    shown = json.loads(run_here("s3://study/other", "config", "--json").stdout)
    assert shown["baseline_months"] == {"value": 2, "source": "config.toml"}
    plain = run_here(uri, "config").stdout.splitlines()[0]
    assert plain == f"Settings for the store at {uri} (file: {uri}/config.toml)"


def test_report_all_on_ray_writes_the_same_pages(tmp_path):
    from tests.benchmarks.build import cohort_store

    small, ids, _ = cohort_store(tmp_path / "small", 3, 123)
    here = run_here(small, "report", "--all", "--month", MONTH, "-o", str(tmp_path / "local"))
    assert here.exit_code == 0, here.output
    ray = spectrum(small, "report", "--all", "--month", MONTH, "--engine", "ray",
                   "--batch-size", "1", "-o", str(tmp_path / "ray"))  # fmt: skip
    assert ray.returncode == 0, ray.stderr
    assert ray.stdout.splitlines() == [
        f"Wrote {tmp_path / 'ray' / f'{who}-{MONTH}.html'}" for who in ids
    ]
    for who in ids:
        page = f"{who}-{MONTH}.html"
        assert (tmp_path / "ray" / page).read_bytes() == (tmp_path / "local" / page).read_bytes()
