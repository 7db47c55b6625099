"""``python -m mbl_open``: see :mod:`mbl_open.cli`."""
import sys

from .cli import main

sys.exit(main())
