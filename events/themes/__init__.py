"""The lead's theme wall: grouping comments into themes, and what the wall may quote."""
