r"""The relative spread of a disordered profile, the order parameter of the whole book.

For a profile :math:`x_i` (local temperatures :math:`T_i` of a network,
inverse temperatures :math:`\beta_i` of a spin chain) in many disorder
configurations,

.. math:: \frac{\delta x}{\bar x} = \frac{\sqrt{\langle\langle \mathrm{Var}_i\, x_i\rangle\rangle}}
          {\langle\langle \mathrm{Mean}_i\, x_i\rangle\rangle},

with the variance and mean over sites ``i`` (``ddof = 0``) and
:math:`\langle\langle\cdot\rangle\rangle` the average over configurations:
:math:`\delta T/\bar T` of paper Eq. 2 and :math:`\delta\beta/\beta` of
paper Eq. 9 are the same statistic.
"""
from __future__ import annotations

import numpy as np

from ..infrastructure._validate import check_array, check_int

__all__ = ["relative_spread", "relative_spread_from_moments"]


def _real(name, value) -> np.ndarray:
    """A real float array; NaN (a failed fit upstream) is refused rather than carried into the result."""
    return check_array(name, value)


def relative_spread_from_moments(var, mean, axis=-1):
    r""":math:`\sqrt{\langle\langle\mathrm{Var}\rangle\rangle}/\langle\langle\mathrm{Mean}\rangle\rangle` from per-configuration moments.

    Parameters
    ----------
    var, mean : array_like
        Site variance and site mean of every configuration, the same shape.
    axis : int
        The configuration axis, averaged over.
    """
    var, mean = _real("var", var), _real("mean", mean)
    if var.shape != mean.shape or var.ndim == 0:
        raise ValueError(f"var and mean must be arrays of the same shape, got {var.shape} and {mean.shape}")
    if var.size == 0:
        raise ValueError(f"var and mean must not be empty, got shape {var.shape}")
    if np.any(var < 0):
        raise ValueError("var must be >= 0 (a variance)")
    axis = check_int("axis", axis, low=-var.ndim, high=var.ndim - 1)
    avg = np.mean(mean, axis=axis)
    if np.any(avg == 0):
        raise ValueError("the configuration average of mean is zero: the relative spread is undefined")
    return np.sqrt(np.mean(var, axis=axis)) / avg


def relative_spread(values, *, site_axis, config_axis):
    """The relative spread of ``values``, sites along ``site_axis``, configurations along ``config_axis``.

    ``config_axis`` counts the axes of ``values`` (before the site axis is
    reduced).  Returns an array with both axes removed (a float for 2-D input).
    ``values`` must not be empty, and its average over sites and
    configurations must not be zero (the ratio is undefined there).
    """
    x = _real("values", values)
    if x.ndim < 2:
        raise ValueError(f"values needs a site axis and a configuration axis, got shape {x.shape}")
    if x.size == 0:
        raise ValueError(f"values must not be empty, got shape {x.shape}")
    for name, ax in (("site_axis", site_axis), ("config_axis", config_axis)):
        if not isinstance(ax, (int, np.integer)) or isinstance(ax, bool) or not -x.ndim <= ax < x.ndim:
            raise ValueError(f"{name} must be an integer axis of values (ndim {x.ndim}), got {ax!r}")
    site_axis, config_axis = site_axis % x.ndim, config_axis % x.ndim
    if site_axis == config_axis:
        raise ValueError("site_axis and config_axis must differ")
    after = config_axis - (1 if config_axis > site_axis else 0)
    mean = x.mean(axis=site_axis)
    if np.any(np.mean(mean, axis=after) == 0):
        raise ValueError("values must not average to zero over sites and configurations: the relative spread "
                         "divides by that average")
    return relative_spread_from_moments(x.var(axis=site_axis), mean, axis=after)
