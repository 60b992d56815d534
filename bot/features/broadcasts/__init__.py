"""Announcements to cohorts, cities, alumni: audience, versions, paced durable delivery."""
