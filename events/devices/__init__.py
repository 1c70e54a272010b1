"""Who may use a meeting: devices joining, being revoked, and the join rule."""
