"""The clinic's contracts with payers, and the underpaid lines posting finds against them."""
