"""Shared building blocks: people, places, organisations, audit log, clock, context."""
