"""Seloste: writes a Finnish small company's GDPR privacy notice (tietosuojaseloste)."""

__version__ = "0.1.0"
