"""Frame requests: validation, the index and time rules, and the decode plan."""
