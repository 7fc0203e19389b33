"""The inbox: every file the payer adapter delivers, kept before anything is applied from it."""
