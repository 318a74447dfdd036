"""Tests of analysis.charts, one file per module."""
