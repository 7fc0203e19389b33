"""The providers development mode registers for the demo tenants: the NPIs the README's
walk-through and `make demo` bill with, so a claim built there can be submitted at once."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from billing_service.models.provider import Provider
from billing_service.providers.repository import ProviderRepository

DEMO_TENANTS = ("clinic-a", "clinic-b")
CLINIC_ADDRESS = {"line1": "100 MAIN STREET", "line2": None, "city": "SPRINGFIELD",
                  "state": "IL", "postal_code": "627010001"}
DEMO_PROVIDERS: tuple[dict[str, Any], ...] = (
    # The billing organization (loop 2010AA): a primary care clinic, with its EIN.
    {"npi": "1234567893", "kind": "organization", "organization_name": "DEMO CLINIC",
     "taxonomy": "261QP2300X", "tax_id": "990000001", "address": CLINIC_ADDRESS},
    # The physician who renders the demo's visits (loop 2310B): family medicine.
    {"npi": "1245319599", "kind": "person", "first_name": "ROSA", "last_name": "DIAZ",
     "taxonomy": "207Q00000X", "tax_id": None, "address": CLINIC_ADDRESS},
)


async def seed_demo_providers(sessions: async_sessionmaker[AsyncSession],
                              tenants: tuple[str, ...] = DEMO_TENANTS) -> int:
    """Registers each demo provider a tenant does not have yet (a provider changed through
    the API stays as changed); returns how many it registered."""
    added = 0
    for tenant_id in tenants:
        async with sessions() as session, session.begin():
            repository = ProviderRepository(session, tenant_id)
            known = await repository.by_npi(p["npi"] for p in DEMO_PROVIDERS)
            for fields in DEMO_PROVIDERS:
                if fields["npi"] in known:
                    continue
                try:
                    async with session.begin_nested():
                        await repository.add(Provider(tenant_id=tenant_id, **fields))
                except IntegrityError:
                    continue  # another process starting at the same time registered it
                added += 1
    return added
