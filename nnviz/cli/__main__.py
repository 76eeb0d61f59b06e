"""``python -m nnviz.cli``."""

import sys

from . import main

sys.exit(main())
