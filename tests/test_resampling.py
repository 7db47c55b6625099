import numpy as np
import pytest

from mbl_open.numerics.resampling import bootstrap, jackknife


def test_delete_one_jackknife_of_the_mean_is_the_standard_error():
    x = np.random.default_rng(0).normal(size=50)
    value, err = jackknife(lambda a: a.mean(), x, n_blocks=50)
    assert value == pytest.approx(x.mean())
    assert err == pytest.approx(x.std(ddof=1) / np.sqrt(50), rel=1e-12)


def test_block_jackknife_handles_vector_estimators_and_axis():
    rng = np.random.default_rng(1)
    var, mean = rng.uniform(1, 2, (3, 40)), rng.uniform(1, 2, (3, 40))
    value, err = jackknife(lambda v, m: np.sqrt(v.mean(-1)) / m.mean(-1), var, mean, n_blocks=10)
    assert value.shape == err.shape == (3,)
    assert np.all(err > 0)
    v2, e2 = jackknife(lambda v, m: np.sqrt(v.mean(-1)) / m.mean(-1), var.T, mean.T, n_blocks=10, axis=0)
    np.testing.assert_allclose(e2, err)


def test_bootstrap_is_seeded_and_close_to_standard_error():
    x = np.random.default_rng(2).normal(size=400)
    v1, e1, r1 = bootstrap(lambda a: a.mean(), x, n_resamples=300, seed=3)
    _, e2, r2 = bootstrap(lambda a: a.mean(), x, n_resamples=300, seed=3)
    np.testing.assert_array_equal(r1, r2)
    assert e1 == pytest.approx(x.std(ddof=1) / 20, rel=0.15)


@pytest.mark.parametrize("call", [
    lambda: jackknife(np.mean, np.ones(5), n_blocks=1),
    lambda: jackknife(np.mean, np.ones(5), n_blocks=6),
    lambda: jackknife(lambda a, b: 0.0, np.ones(5), np.ones(4)),
    lambda: bootstrap(np.mean, np.ones(5), n_resamples=1),
    lambda: bootstrap(np.mean, np.ones(5), seed=-2),
])
def test_bad_input(call):
    with pytest.raises(ValueError):
        call()


def test_pull_is_the_difference_in_combined_errors():
    from mbl_open.numerics.resampling import pull

    assert pull(3.0, 0.3, 1.0, 0.4) == pytest.approx(4.0)
    np.testing.assert_allclose(pull([1.0, 2.0], [0.1, 0.1], [1.0, 1.0], 0.0), [0.0, 10.0])
    with pytest.raises(ValueError, match="must not both be zero"):
        pull(1.0, 0.0, 2.0, 0.0)
    with pytest.raises(ValueError, match="a contains nan"):
        pull(np.nan, 0.1, 1.0, 0.1)
    with pytest.raises(ValueError, match="b_err must be"):
        pull(1.0, 0.1, 1.0, -0.1)
    with pytest.raises(TypeError, match="a_err must hold real numbers"):
        pull(1.0, True, 1.0, 0.1)


def test_a_bootstrap_beyond_the_memory_limit_is_refused_before_allocating(monkeypatch):
    """1e6 resamples of 1e4 configurations asked numpy for 74.5 GiB of resample indices."""
    calls = []

    def mean(x):
        calls.append(1)
        return np.mean(x)

    with pytest.raises(ValueError, match=r"n_resamples = 1000000 resamples of 10000 configurations need .*74.5 GiB"):
        bootstrap(mean, np.arange(1e4), n_resamples=10**6)
    assert not calls  # refused before the estimator ran
    monkeypatch.setenv("MBL_OPEN_MAX_ARRAY_BYTES", str(8 * 100 * (50 + 3) - 1))  # indices + replicas of size 3
    with pytest.raises(ValueError, match="n_resamples = 100 resamples of 50"):
        bootstrap(lambda x: np.quantile(x, [0.25, 0.5, 0.75]), np.arange(50.0), n_resamples=100)
    assert bootstrap(np.mean, np.arange(50.0), n_resamples=100)[2].shape == (100,)
