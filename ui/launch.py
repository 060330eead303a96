"""The `chibo` entry point: with a command it runs the command line; without one it opens the window."""
from __future__ import annotations

import sys

from app import cli


def main(argv: list[str] | None = None) -> int:
    args = cli.build_parser().parse_args(argv)
    if args.command is not None:
        cli.quiet_broken_pipe()
        return cli.run(args)
    # Qt is imported only here, so the command line starts fast and runs where Qt cannot.
    from ui.application import run_gui

    passphrase = None
    if args.open_passphrase_file:
        try:
            passphrase = cli.read_passphrase(args.open_passphrase_file)
        except cli.UsageError as exc:
            print(exc, file=sys.stderr)
            return 1
    return run_gui(args.db, args.lang, passphrase)


if __name__ == "__main__":
    sys.exit(main())
