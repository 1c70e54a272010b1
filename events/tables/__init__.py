"""A table's comments: what a facilitator may do to them, where each belongs, when it was typed."""
