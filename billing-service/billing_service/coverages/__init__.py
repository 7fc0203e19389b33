"""Coverages: which payer and member pay for a patient's care, and from when to when."""
