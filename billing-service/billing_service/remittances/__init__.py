"""835 remittance files: read, checked, matched to claims and posted."""
