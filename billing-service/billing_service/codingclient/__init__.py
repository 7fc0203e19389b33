"""The HTTP client billing uses to read finalized encounters from coding-service."""
