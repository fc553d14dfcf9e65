"""Pure page parsers: JSON-LD JobPosting, generic listing and detail heuristics."""
