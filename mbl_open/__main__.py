"""``python -m mbl_open``: see :mod:`mbl_open.execution.cli`."""
import sys

from .execution.cli import main

if __name__ == "__main__":  # importing the module (doctests, API pages) runs nothing
    sys.exit(main())
