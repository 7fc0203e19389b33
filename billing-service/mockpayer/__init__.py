"""The built-in mock payer: a deterministic, scriptable stand-in for a real payer."""
