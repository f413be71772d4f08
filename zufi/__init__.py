"""zufi — shared core: typed settings, the data model, errors, German text analysis and search backends.

`finder` (query time), `indexer` (import time) and `gazetteer` (places) all depend on this package;
nothing here imports them, except `zufi.cli`, the command line that sits on top of everything.
"""
