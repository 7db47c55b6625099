import os

# progress bars off for the tests and for every kernel they start (nbval, papermill)
os.environ["MBL_OPEN_NO_PROGRESS"] = "1"
# figures as PNG in every kernel the tests start: nbval skips PNG outputs (the book itself draws SVG)
os.environ["MBL_OPEN_FIGURE_FORMAT"] = "png"

import pytest  # noqa: E402 (after the environment variable is set)

from mbl_open import lindblad as lb  # noqa: E402


@pytest.fixture(scope="module")
def chain5():
    zz, zx = lb.Chain.draw(5, 2.0, seed=11).fields
    return 5, zz, zx
