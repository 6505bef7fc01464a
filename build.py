#!/usr/bin/env python3
"""Entry point: python build.py [check|new|…] — see README.md."""

if __name__ == "__main__":
    from casebook.util import process

    process.start()  # before anything registers an exit handler: see casebook/util/process.py
    from casebook.cli import main

    process.run(main)
