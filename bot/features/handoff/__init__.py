"""Handing a question over to a person in the liaison chat, and relaying the answer."""
