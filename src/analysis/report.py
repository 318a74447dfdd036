"""The standard set of charts: kept importable as ``analysis.report``; the code is ``analysis.charts.standard``."""

from analysis.charts.standard import (  # noqa: F401
    CORPUS_TITLES,
    TITLES,
    ChartFiles,
    chart_texts,
    export_chart,
    export_standard_charts,
)
from analysis.charts.standard import __all__  # noqa: F401
