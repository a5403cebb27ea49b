#!/usr/bin/env python3
"""Build this briefing project: `python build.py` (= `python build.py build`). See README.md."""
import sys

from briefing.cli import main

if __name__ == "__main__":
    sys.exit(main())
