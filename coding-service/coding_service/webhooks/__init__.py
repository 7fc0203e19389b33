"""Webhook subscriptions: encounter events pushed to a tenant's URL, signed and retried."""
