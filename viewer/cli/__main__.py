"""`python -m viewer.cli`: the `citiverse` command."""

import sys

from viewer.cli import main

sys.exit(main())
