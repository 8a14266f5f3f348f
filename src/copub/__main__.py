"""``python -m copub``."""

from copub.cli import main

raise SystemExit(main())
