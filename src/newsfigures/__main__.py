"""``python -m newsfigures``: see :mod:`newsfigures.cli`."""

import os
import sys

from .cli import main

status = main()
# Every output is written, renamed into place and closed by now. Tearing down an
# interpreter that holds pandas, matplotlib and WeasyPrint takes a third of a second
# and does nothing for the user, so flush the standard streams and leave at once.
sys.stdout.flush()
sys.stderr.flush()
os._exit(status)
