"""Console pages for agents, managers, auditors and administrators (one module per area)."""
