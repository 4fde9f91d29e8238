"""Catalogs and locale formats."""
