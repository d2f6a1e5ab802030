"""`python -m benches.load` (from the repository root): see `benches.load.cli`."""

import sys

from benches.load.cli import main

sys.exit(main())
