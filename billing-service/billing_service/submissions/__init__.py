"""The conversation with the payer: the outbox of submissions and the posting of responses."""
