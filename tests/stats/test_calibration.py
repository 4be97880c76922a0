"""The direction labels keep their promise (METRICS.md, "Direction of travel"): with no real
change, "toward" or "away" at most about 1 time in 20. Measured on simulated person-months
(tests/stats/simulate.py); `make bench` prints the full table with the power."""

from __future__ import annotations

import pytest

from tests.stats.simulate import Scenario, rates

PEOPLE = 1000  # person-months per scenario (seeded: the same draws every run)
MAX_FALSE = 0.06


@pytest.mark.parametrize("metric", ["steps", "ratio", "sparse"])
@pytest.mark.parametrize("rho", [0.0, 0.3, 0.5])
@pytest.mark.parametrize("drift", [False, True])
def test_false_directions_at_most_6_percent(metric, rho, drift):
    r = rates(Scenario(metric, rho, drift), PEOPLE)
    assert r["direction"] <= MAX_FALSE, f"{metric} rho={rho} drift={drift}: {r}"
    assert r["insufficient"] <= 0.01  # the simulated months have enough weeks


def test_a_real_change_is_found_more_often_the_larger_it_is():
    # steps, no persistence, no drift: a change of 2 SD of weekly values is found most times
    found = [rates(Scenario("steps", 0.0, False, effect=e), 400)["direction"] for e in (1, 2)]
    assert found[0] < found[1] and found[1] >= 0.6
