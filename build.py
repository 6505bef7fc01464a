#!/usr/bin/env python3
"""Entry point: python build.py [check|new|…] — see README.md."""

if __name__ == "__main__":
    from casebook.util import leave

    leave.arm()  # before anything registers an exit handler: see casebook/util/leave.py
    from casebook.cli import main

    leave.leave(main())
