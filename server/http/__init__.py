"""The JSON endpoints: each route's handler, checking its grant and answering in canonical JSON."""
