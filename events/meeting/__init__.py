"""A meeting's structure (its plan, revised) and its clock: the meeting decider's events,
commands, rules and refusals."""
