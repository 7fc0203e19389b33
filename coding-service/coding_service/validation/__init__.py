"""The validation rule engine (pure): see engine.validate_encounter and rules.RULES."""
