"""Spreadsheet import of courses, schedules and past results (XLSX or CSV)."""
