"""Measurement scripts: run by ``python3 dev.py bench``, never by the test suite."""
