"""Payers: the adapter interface billing talks to, and the payer directory endpoint."""
