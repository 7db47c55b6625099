"""Tests of mbl_open.resistor_networks.disorder: the link-length distribution and the seeding rule of the disorder."""
import numpy as np
import pytest

from mbl_open import resistor_networks as rn


def test_same_seed_same_disorder_for_every_eps_and_M():
    a = rn.thermal_fluctuations([1e-3, 1e-2], 0.3, N=100, M=6, seed=4)
    b = rn.thermal_fluctuations([1e-2], 0.3, N=100, M=6, seed=4)
    assert b[0] == a[1]
    d1 = rn.temperature_deviations([1e-2], 0.3, N=100, M=6, seed=4)
    d2 = rn.temperature_deviations([1e-2], 0.3, N=100, M=3, seed=4)
    np.testing.assert_array_equal(d1[:, :3], d2)  # configuration m does not depend on M
    assert rn.thermal_fluctuations([1e-2], 0.3, N=100, M=6, seed=5)[0] != a[1]


def test_link_length_distribution():
    E = np.random.default_rng(0).exponential(1.0, 200_000)
    l1 = rn.link_lengths(E, 0.5, d=1)
    assert l1.min() >= 1.0 and np.mean(l1 - 1) == pytest.approx(2.0, rel=0.01)  # l - a ~ Exp(xi)
    l2 = rn.link_lengths(E, 0.5, d=2)
    xi = 2.0
    # P(L > l) = exp(-((l/xi)^2 - alpha^2))
    for l in (1.5, 3.0, 5.0):
        p = np.exp(-((l / xi) ** 2 - 0.25))
        assert abs(np.mean(l2 > l) - p) < 4 * np.sqrt(p * (1 - p) / E.size)


def test_the_memory_guard_counts_every_array_of_an_ensemble(monkeypatch):
    """draw_disorder(N=10, M=1e7) passed the guard (it counted 32 bytes per link) and ran for minutes.

    The draw also holds two coupling arrays per island and one random stream per configuration
    (a peak of 6.4 GB measured for this call), and the solvers derive lengths, couplings, sources and solutions.
    """
    from mbl_open.resistor_networks.disorder import STREAM_BYTES, ensemble_bytes

    assert ensemble_bytes(10, 1, 1) == 8 * 3 * 9 + 8 * 6 * 10 + STREAM_BYTES
    with pytest.raises(ValueError, match=r"N = 10, M = 10000000 needs about 11.3 GiB.*MBL_OPEN_MAX_ARRAY_BYTES"):
        rn.draw_disorder(N=10, M=10**7)
    with pytest.raises(ValueError, match="M = 10000000"):
        rn.thermal_fluctuations([0.1], 0.5, N=10, M=10**7)
    monkeypatch.setenv("MBL_OPEN_MAX_ARRAY_BYTES", str(ensemble_bytes(10, 1000, 1) - 1))
    with pytest.raises(ValueError, match="M = 1000"):
        rn.draw_disorder(N=10, M=1000)
    assert rn.draw_disorder(N=10, M=999).E[0].shape == (999, 9)
