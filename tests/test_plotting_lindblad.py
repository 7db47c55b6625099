"""The Lindblad-chain figure helpers (mbl_open.plotting.lindblad)."""
import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402

from mbl_open import plotting  # noqa: E402
from mbl_open.fits import fit_exponential_decay  # noqa: E402


def test_relaxation_plot_draws_each_record_with_its_fit():
    t = np.arange(0.25, 8.0, 0.25)
    hist = {0.1: np.c_[t, 0.1 * np.exp(-0.8 * t)], 0.2: np.c_[t, 0.2 * np.exp(-0.7 * t)]}
    fits = {e: fit_exponential_decay(h[:, 0], h[:, 1], t_min=1.0) for e, h in hist.items()}
    fig, ax = plotting.subplots()
    plotting.plot_relaxation(ax, hist, fits)
    assert len(ax.lines) == 4 and ax.get_yscale() == "log"
    assert "rate 0.80" in ax.get_legend().get_texts()[0].get_text()
