"""`python -m assistant` is the `legal-assistant` command."""

import sys

from assistant.cli import main

sys.exit(main())
