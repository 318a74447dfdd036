"""Old path of the build cache: see :mod:`analysis.corpus.cache`."""

from analysis.corpus.cache import BuildCache, write_table  # noqa: F401
from analysis.corpus.fingerprints import fingerprints  # noqa: F401
