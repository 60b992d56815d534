"""Action-plan postcards: written during the course, rendered as a picture."""
