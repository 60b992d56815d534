"""Staff view and export of the audit log."""
