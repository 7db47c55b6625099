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


def test_network_ingredients_draw_every_chain_on_both_panels():
    ingredients = {}
    for h in (1.0, 6.0):
        G = hd.LocalGibbs(lb.Chain.draw(5, h, 0, seed=3), lb.paper_jumps(5))
        ingredients[h] = hd.network_ingredients(G, G.mean_beta())
    fig, (ax, bx) = plotting.subplots(2)
    plotting.plot_network_ingredients(ax, bx, ingredients)
    assert len(ax.lines) == 2 * 2 + 1  # sources and couplings per chain, and the zero line
    assert len(bx.lines) == 2 and bx.get_yscale() == "log" and len(bx.lines[0].get_xdata()) == 4 * 4
    assert [t.get_text() for t in bx.get_legend().get_texts()] == ["h = 1", "h = 6"]
    assert "island" in ax.get_xlabel()
