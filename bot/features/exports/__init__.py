"""The staff workbook: courses, applications, postcards, follow-ups, evaluations, surveys."""
