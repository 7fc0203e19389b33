"""Patient estimates: what a visit's services will cost the patient, before the claim."""
