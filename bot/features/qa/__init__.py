"""Free-text question answering in en, zh, es, ru."""
