"""billing-service: builds professional claims from finalized encounters, submits them through
a payer adapter and follows them to payment, denial, correction or void."""

__version__ = "0.1.0"
