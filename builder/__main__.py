"""Entry point: `python -m builder COMMAND`."""

import sys

from builder.cli import main

sys.exit(main())
