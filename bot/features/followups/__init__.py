"""Follow-ups after a course: postcard return, evaluation, nudges, survey, response rates."""
