"""Roles: staff, liaison officers scoped to organisations or courses, trainees."""
