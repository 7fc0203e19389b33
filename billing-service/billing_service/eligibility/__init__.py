"""Eligibility checks: is a coverage active on a date of service, and what are its benefits."""
