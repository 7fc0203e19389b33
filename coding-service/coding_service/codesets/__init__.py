"""ICD-10-CM, CPT/HCPCS, modifier, place-of-service and demographic-edit code sets."""
