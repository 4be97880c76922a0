"""`make bench`: the benchmark suite (tests/benchmarks/run.py). Nothing here is a pytest test."""
