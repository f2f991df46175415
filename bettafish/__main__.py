"""``python -m bettafish``: the same CLI as the ``bettafish`` console script."""

from bettafish.cli import main

raise SystemExit(main())
