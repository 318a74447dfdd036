"""Interview and press-conference transcripts to tidy tables and article-ready charts."""

__version__ = "0.1.0"
