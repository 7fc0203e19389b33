"""Patients: what a patient owes and why, from the remittances posted to their claims."""
