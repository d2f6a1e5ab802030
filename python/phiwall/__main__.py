import sys

from phiwall.cli import main

sys.exit(main())
