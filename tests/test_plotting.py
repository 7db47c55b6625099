"""The figure helpers draw what the chapters rely on (mbl_open.plotting)."""
import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from mbl_open import plotting  # noqa: E402
from mbl_open import resistor_networks as rn  # noqa: E402
from mbl_open.fits import fit_exponential_decay  # noqa: E402


def test_exponent_fits_draw_data_and_the_law_inside_the_window():
    eps = np.geomspace(1e-4, 1e-1, 8)
    fits = [rn.open_system_z(eps, a, N=200, M=20, seed=2, fit_window=(1e-4, 1e-2), n_blocks=5) for a in (0.5, 2.0)]
    fig, ax = plotting.subplots()
    plotting.plot_exponent_fits(ax, fits)
    assert len(ax.containers) == 2  # one errorbar per alpha
    x = ax.lines[1].get_xdata()  # the first fitted line (after the first errorbar's data line)
    assert x.min() >= 1e-4 and x.max() <= 1e-2 * (1 + 1e-12)
    ax.legend()
    assert "z = " in ax.get_legend().get_texts()[0].get_text()
    with pytest.raises(ValueError, match="quantity"):
        plotting.plot_exponent_fits(ax, fits, quantity="p")


def test_relaxation_plot_draws_each_record_with_its_fit():
    t = np.arange(0.25, 8.0, 0.25)
    hist = {0.1: np.c_[t, 0.1 * np.exp(-0.8 * t)], 0.2: np.c_[t, 0.2 * np.exp(-0.7 * t)]}
    fits = {e: fit_exponential_decay(h[:, 0], h[:, 1], t_min=1.0) for e, h in hist.items()}
    fig, ax = plotting.subplots()
    plotting.plot_relaxation(ax, hist, fits)
    assert len(ax.lines) == 4 and ax.get_yscale() == "log"
    assert "rate 0.80" in ax.get_legend().get_texts()[0].get_text()


def test_hydrodynamics_figures_draw_every_link_profile_and_curve():
    from mbl_open import hydrodynamics as hd
    from mbl_open import lindblad as lb

    chain = lb.Chain.draw(5, 1.0, 0, seed=3)
    ladder = hd.hydro_ladder(chain, [0.2, 0.05])
    fig, (ax, bx) = plotting.subplots(2)
    plotting.plot_fourier_links(ax, ladder)
    assert len(ax.lines) == 2 * (chain.N - 2) + 2  # every link at every eps, and the two axes lines
    missing = plotting.plot_profiles(bx, ladder)
    assert len(bx.lines) == 2 * 2 - len(missing) + 1  # measured and predicted at two eps, and T_bar
    fig, (ax, bx) = plotting.subplots(2)
    plotting.plot_mean_beta(ax, {1.0: dict(ladder=ladder)})
    assert len(ax.lines) == 2
    plotting.plot_survey_curves(bx, [0.2, 0.05], [[1.0, 0.5], [2.0, 1.5]], ["a", "b"], ylabel="y", limits=[0.1, 1.0])
    assert len(bx.lines) == 4 and bx.get_xscale() == "log"
    G = hd.LocalGibbs(*chain.args, chain.jumps())
    b = G.mean_beta()
    plotting.plot_network_ingredients(ax, bx, 0, 1.0, G.source(b), G.g1(b), G.response_matrix(b))
