"""A patient's account: payments, refunds and write-offs, and the ledger they stand on."""
