"""Every figure helper of mbl_open.plotting draws a readable figure: no tick labels on top of each other, no
legend over a data point, no legend entry quoting an exponent the data do not determine.

Each case draws one helper with small synthetic data (or the book's small datasets) at the size its chapter
uses, renders it with Agg and measures the text in display coordinates.
"""
import re

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402
from matplotlib.container import ErrorbarContainer  # noqa: E402

from mbl_open import critical as cp  # noqa: E402
from mbl_open import ensemble as en  # noqa: E402
from mbl_open import plotting  # noqa: E402
from mbl_open.numerics.fits import fit_exponential_decay  # noqa: E402

TOLERANCE = 1.0  # display pixels two boxes may share before they count as overlapping


# --- measurements ----------------------------------------------------------------------------------------------

def _overlap(a, b, tol=TOLERANCE):
    """Whether two display-space boxes overlap by more than ``tol`` pixels in both directions."""
    return min(a.x1, b.x1) - max(a.x0, b.x0) > tol and min(a.y1, b.y1) - max(a.y0, b.y0) > tol


def _tick_label_boxes(axis, renderer):
    """``(text, box)`` of the visible, non-empty major and minor tick labels inside the axis' view."""
    lo, hi = sorted(axis.get_view_interval())
    along = 0 if axis.axis_name == "x" else 1
    out = []
    for label in axis.get_ticklabels(which="both"):
        loc = label.get_position()[along]
        span = max(abs(hi - lo), 1e-300)
        inside = lo - 1e-9 * span <= loc <= hi + 1e-9 * span
        if label.get_visible() and label.get_text().strip() and inside:
            out.append((label.get_text(), label.get_window_extent(renderer)))
    return out


def tick_collisions(fig):
    """Pairs of tick labels that overlap, per axis of every axes of ``fig`` (draws the figure)."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    found = []
    for i, ax in enumerate(fig.axes):
        for axis in (ax.xaxis, ax.yaxis):
            boxes = _tick_label_boxes(axis, renderer)
            found += [(i, axis.axis_name, a, b) for k, (a, ba) in enumerate(boxes) for b, bb in boxes[k + 1:]
                      if _overlap(ba, bb)]
    return found


def _data_points(ax):
    """Display coordinates of the drawn data points of ``ax``: marker lines (error-bar caps excluded), scatters."""
    caps = {id(c) for cont in ax.containers if isinstance(cont, ErrorbarContainer) for c in cont.lines[1]}
    xy = []
    for line in ax.lines:
        if id(line) in caps or not line.get_visible() or line.get_marker() in (None, "", " ", "None", "none"):
            continue
        xy.append(line.get_transform().transform(np.asarray(line.get_xydata(), dtype=float)))
    for col in ax.collections:
        if isinstance(col, PathCollection) and len(col.get_offsets()):
            xy.append(col.get_offset_transform().transform(np.asarray(col.get_offsets(), dtype=float)))
    pts = np.concatenate(xy) if xy else np.empty((0, 2))
    box = ax.get_window_extent()
    pts = pts[np.isfinite(pts).all(axis=1)]
    inside = (pts[:, 0] >= box.x0) & (pts[:, 0] <= box.x1) & (pts[:, 1] >= box.y0) & (pts[:, 1] <= box.y1)
    return pts[inside]


def legend_collisions(fig):
    """``(legend, axes, n)``: how many data points of each axes lie inside each legend's box (draws the figure)."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    legends = [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None] + list(fig.legends)
    found = []
    for k, leg in enumerate(legends):
        box = leg.get_window_extent(renderer)
        for i, ax in enumerate(fig.axes):
            p = _data_points(ax)
            n = int(((p[:, 0] > box.x0) & (p[:, 0] < box.x1) & (p[:, 1] > box.y0) & (p[:, 1] < box.y1)).sum())
            if n:
                found.append((k, i, n))
    return found


def legend_texts(fig):
    return [t.get_text() for ax in fig.axes if ax.get_legend() is not None for t in ax.get_legend().get_texts()]


# --- one case per helper ---------------------------------------------------------------------------------------

def _summaries():
    ens = en.book_dataset("book_exact")
    return [cp.summarise(ens, n, window=(0.01, 0.05), n_resamples=20, seed=1) for n in (8, 6)]


def order_parameter():
    s, _ = _summaries()
    fig, ax = plotting.subplots(width=5.0, height=3.8)
    plotting.plot_order_parameter(ax, s)
    return fig


def z_fits():
    s, _ = _summaries()
    fig, ax = plotting.subplots(width=5.0, height=3.8)
    plotting.plot_z_fits(ax, s)
    return fig


def slope_probability():
    s8, s6 = _summaries()
    hc, hc_err, _ = s8.critical_disorder()
    fig, ax = plotting.subplots(width=4.6, height=3.4)
    plotting.plot_slope_probability(ax, s8, hc, hc_err, other=s6)
    return fig


def z_divergence():
    s8, s6 = _summaries()
    hc, _, _ = s8.critical_disorder()
    ok = cp.resolved(s8, hc)
    fits = {form: cp.fit_critical_exponent(s8.h[ok], s8.z[ok], s8.z_err[ok], form=form, h_c=hc)
            for form in ("power", "kt")}
    fig, (ax, bx) = plotting.subplots(2, width=4.2, height=3.4)
    plotting.plot_z_divergence(ax, bx, s8, ok, fits, hc, label="N = 8", other=s6)
    return fig


def size_comparison():
    s, _ = _summaries()
    c = cp.compare_sizes(en.book_dataset("book_tebd"), s, n_resamples=20, seed=1)
    fig, ax = plotting.subplots(width=5.0, height=3.8)
    plotting.plot_size_comparison(ax, s, c)
    return fig


def chi_convergence():
    rel = {8: np.array([5e-3, 2e-2, 4e-2]), 16: np.array([1e-4, 6e-4, 1e-2]), 32: np.array([4e-5, 2e-6, 1e-3])}
    fig, ax = plotting.subplots(width=4.8, height=3.6)
    plotting.plot_chi_convergence(ax, rel, [0.2, 0.1, 0.03])
    return fig


def z_by_size():
    zN = cp.z_by_size([en.book_dataset("book_exact")], [1.0, 2.0], window=(0.03, 0.1))
    fig, ax = plotting.subplots(width=4.8, height=3.6)
    plotting.plot_z_by_size(ax, zN, [1.0, 2.0])
    return fig


def eps_slopes():
    ens = en.book_dataset("tebd_n12")
    slopes = {h: cp.local_slopes(ens.eps, ens.betas_for(12, h)) for h in (1.0, 4.0)}
    fig, ax = plotting.subplots(width=6.2, height=3.6)
    plotting.plot_eps_slopes(ax, slopes, N=12, D=0.12)
    return fig


def survey_curves():
    eps = np.array([0.2, 0.1, 0.05, 0.02])
    curves = [0.3 * eps ** 0.5, 0.5 * eps ** 0.2, 0.8 * eps ** 0.05]
    fig, (ax, bx) = plotting.subplots(2, width=4.2, height=3.4)
    plotting.plot_survey_curves(ax, eps, curves, ["h = 1", "h = 4", "h = 8"], ylabel="source error")
    plotting.plot_survey_curves(bx, eps, curves, ["h = 1", "h = 4", "h = 8"], ylabel="gap", limits=[0.02, 0.2, 0.6])
    plotting.legend(bx, ncol=2)
    return fig


def _ladder():
    from mbl_open import hydrodynamics as hd
    from mbl_open import lindblad as lb

    return hd.hydro_ladder(lb.Chain.draw(5, 1.0, 0, seed=3), [0.2, 0.05])


def mean_beta():
    fig, (ax, bx) = plotting.subplots(2, width=4.2, height=3.4)
    plotting.plot_mean_beta(ax, {1.0: dict(ladder=_ladder())})
    return fig


def fourier_links_and_profiles():
    ladder = _ladder()
    fig, (ax, bx) = plotting.subplots(2, width=4.2, height=3.4)
    plotting.plot_fourier_links(ax, ladder, title="h = 1")
    plotting.plot_profiles(bx, ladder, title="h = 1")
    return fig


def network_ingredients():
    from mbl_open import hydrodynamics as hd
    from mbl_open import lindblad as lb

    ingredients = {}
    for h in (1.0, 6.0):
        G = hd.LocalGibbs(lb.Chain.draw(5, h, 0, seed=3))
        ingredients[h] = hd.network_ingredients(G, G.mean_beta())
    fig, (ax, bx) = plotting.subplots(2, width=4.2, height=3.4)
    plotting.plot_network_ingredients(ax, bx, ingredients)
    return fig


def _rdms():
    rng = np.random.default_rng(0)
    exact = np.array([np.diag(p) for p in rng.dirichlet(np.ones(4), size=5)]).astype(complex)
    return exact, exact + 1e-3


def pauli_scatter_and_rdm_diagonals():
    exact, tebd = _rdms()
    fig, (ax, bx) = plotting.subplots(2, width=4.0, height=3.4)
    plotting.plot_pauli_scatter(ax, exact, tebd)
    plotting.plot_rdm_diagonals(bx, exact, tebd)
    return fig


def relaxation_and_approach():
    t = np.arange(0.25, 8.0, 0.25)
    hist = {0.1: np.c_[t, 0.1 * np.exp(-0.8 * t)], 0.2: np.c_[t, 0.2 * np.exp(-0.7 * t)]}
    fits = {e: fit_exponential_decay(h[:, 0], h[:, 1], t_min=1.0) for e, h in hist.items()}
    curves = {0.1: np.c_[t, 0.5 - 0.2 * np.exp(-t)], 0.2: np.c_[t, 0.4 + 0.1 * np.exp(-t)]}
    fig, (ax, bx) = plotting.subplots(2, width=4.4, height=3.6)
    plotting.plot_order_parameter_approach(ax, curves)
    plotting.plot_relaxation(bx, hist, fits)
    return fig


def chi_scan():
    from mbl_open.lindblad import ChiScan

    scan = ChiScan(chis=(8, 16, 24, 32), dbeta=np.ones(4), error=np.array([3e-2, 1e-2, 5e-3, 2.5e-3]),
                   truncation_error=np.zeros(4), dbeta_ref=1.0, chi_ref=64, states=[])
    fig, ax = plotting.subplots(1, width=4.6, height=3.4)
    plotting.plot_chi_scan(ax, scan)
    return fig


def _network_fits(M=20):
    from mbl_open import resistor_networks as rn

    eps = np.geomspace(1e-4, 1e-1, 8)
    return [rn.open_system_z(eps, a, N=200, M=M, seed=2, fit_window=(1e-4, 1e-2), n_blocks=5) for a in (0.5, 2.0)]


def exponent_fits():
    fig, ax = plotting.subplots(1, width=5.5, height=4.0)
    plotting.plot_exponent_fits(ax, _network_fits())
    plotting.label_axes(ax, r"bath coupling $\varepsilon$", r"$\delta T/\bar T$", logx=True, logy=True)
    plotting.legend(ax)
    return fig


def local_slopes():
    fig, ax = plotting.subplots(1, width=4.4, height=3.8)
    plotting.plot_local_slopes(ax, _network_fits(), [1.0, 10.0])
    plotting.label_axes(ax, r"$\varepsilon/\Gamma_{\rm eff}$", "local slope", logx=True)
    plotting.legend(ax)
    return fig


CASES = [order_parameter, z_fits, slope_probability, z_divergence, size_comparison, chi_convergence, z_by_size,
         eps_slopes, survey_curves, mean_beta, fourier_links_and_profiles, network_ingredients,
         pauli_scatter_and_rdm_diagonals, relaxation_and_approach, chi_scan, exponent_fits, local_slopes]


def test_every_helper_has_a_case():
    drawn = {name for case in CASES for name in case.__code__.co_names}
    helpers = {name for name in plotting.__all__ if name.startswith("plot_")}
    assert helpers <= drawn, f"no layout case draws {sorted(helpers - drawn)}"


@pytest.fixture(params=CASES, ids=[c.__name__ for c in CASES])
def figure(request):
    import matplotlib.pyplot as plt

    fig = request.param()
    yield fig
    plt.close(fig)


def test_tick_labels_do_not_overlap(figure):
    assert tick_collisions(figure) == []


def test_legends_cover_no_data_point(figure):
    assert legend_collisions(figure) == []


def undetermined_exponents(texts):
    """Legend entries quoting ``z = value ± error`` with an error not below the value (or not finite)."""
    bad = []
    for text in texts:
        for value, error in re.findall(r"z\s*=\s*(\S+)\s*±\s*([^\s,;)]+)", text):
            try:
                v, e = float(value), float(error)
            except ValueError:
                bad.append(text)
                continue
            if not (np.isfinite(v) and np.isfinite(e) and e < v):
                bad.append(text)
    return bad


def test_legends_quote_no_undetermined_exponent(figure):
    assert undetermined_exponents(legend_texts(figure)) == []


def test_no_axis_label_says_dimensionless(figure):
    labels = [lab for ax in figure.axes for lab in (ax.get_xlabel(), ax.get_ylabel())]
    assert not [lab for lab in labels if "dimensionless" in lab]
