"""Applications to courses: form, status, staff review."""
