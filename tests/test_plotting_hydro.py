"""The hydrodynamics figure helpers (mbl_open.plotting.hydro)."""
import matplotlib

matplotlib.use("Agg")


from mbl_open import hydrodynamics as hd  # noqa: E402
from mbl_open import lindblad as lb  # noqa: E402
from mbl_open import plotting  # noqa: E402


def test_hydrodynamics_figures_draw_every_link_profile_and_curve():
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
