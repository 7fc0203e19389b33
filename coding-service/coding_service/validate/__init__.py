"""POST /v1/validate: an encounter body checked by every rule, nothing stored."""
