"""The biller's worklist: claims that need a person, and the A/R aging of open balances."""
