"""Yearly statistics computed from stored course and result rows."""
