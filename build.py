#!/usr/bin/env python3
"""Entry point: python build.py [check|new|…] — see README.md."""

import sys

from casebook.cli import main

if __name__ == "__main__":
    sys.exit(main())
