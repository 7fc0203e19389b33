"""Providers: the names, taxonomies, tax ids and addresses of the NPIs a tenant bills with."""
