"""Appeals of a claim's denial to its payer."""
