"""One engine for the one-question-at-a-time forms (applications, postcards, evaluation, survey).

A form is a declaration (`Form` subclass: its rows, first question, readers and where each
answer leads) plus its feature's texts; the engine keeps the step in the row (steps.py), runs
the transactions (engine.py) and routes typed text and /cancel to it (routing.py).
"""
