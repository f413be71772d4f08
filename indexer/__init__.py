"""Import time: fetch the public data, read and validate it, build an index aside and swap it in.

Public entry points: :func:`indexer.fetch.fetch_data` and :func:`indexer.build.build_index`.
Query-time code (``finder``) never imports this package.
"""
