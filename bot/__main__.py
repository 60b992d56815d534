"""`python -m bot` — the command line (see bot/cli.py)."""

from bot.cli import main

main()
