"""Gazetteer: Gemeinden of Germany (BKG VG5000 01.01.2021), names, PLZ, Berlin/Hamburg Bezirke.

Use :class:`Gazetteer` (``Gazetteer.load(dir)``); the files are built by ``indexer.areas``.
Nothing is loaded at import time. This package does not import ``indexer`` or ``finder``.
"""

from gazetteer.core import Gazetteer

__all__ = ["Gazetteer"]
