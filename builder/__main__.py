"""Entry point: `python -m builder COMMAND`."""

import sys

from .cli import main

sys.exit(main())
