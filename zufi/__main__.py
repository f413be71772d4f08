"""``python -m zufi`` runs the command line."""

from zufi.cli import main

main()
