"""Sujarit (สุจริต): a civic integrity platform for Thai provinces."""

__version__ = "0.1.0"
