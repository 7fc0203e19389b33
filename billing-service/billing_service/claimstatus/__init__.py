"""Claim status inquiries: ask the payer (276/277) where a claim it has not answered is."""
