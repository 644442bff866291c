"""Maintenance commands behind the Makefile (``make execute``, ``make html``)."""
