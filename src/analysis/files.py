"""Old path of the file helpers: see :mod:`analysis.corpus.files`."""

from analysis.corpus.files import check_writable, write_atomic  # noqa: F401
