"""``python -m newsfigures``: see :mod:`newsfigures.cli`."""

from .cli import main

raise SystemExit(main())
