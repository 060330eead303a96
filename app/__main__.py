"""`python -m app`: the command line without a window."""
import sys

from app.cli import main

sys.exit(main())
