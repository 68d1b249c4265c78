"""The ``sujarit`` console script: Django's manage.py with the project's settings."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    # The red-flag engine has its own command line, compatible with Cardinal's, and needs
    # neither Django nor a database: it runs before any settings are read.
    if args[:1] == ["redflags"]:
        from sujarit.redflags.cli import main as redflags_main

        raise SystemExit(redflags_main(args[1:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sujarit.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["sujarit", *args])


if __name__ == "__main__":
    main()
