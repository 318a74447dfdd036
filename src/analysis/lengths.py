"""Old name of :mod:`analysis.exchanges` (``analysis.lengths.add_lengths`` keeps working)."""

from analysis.exchanges import EXCHANGES, LENGTH_COLUMNS, add_lengths, to_exchanges  # noqa: F401
