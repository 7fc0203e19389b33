"""Request and response bodies of /v1/providers."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints

from billing_service.models.provider import Provider
from rcm_shared.address import Address
from rcm_shared.ids import Npi
from rcm_shared.schemas import RequestModel

Kind = Literal["person", "organization"]
# X12 NM103 (60) and NM104 (35); the rules say which a kind needs.
LastName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
FirstName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                             max_length=35)]
# Any short text: a wrong form is a rule with its id (provider.taxonomy, provider.tax_id).
ShortCode = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=12)]


class ProviderCreate(RequestModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{
            "npi": "1245319599", "kind": "person", "first_name": "Rosa", "last_name": "Diaz",
            "taxonomy": "207Q00000X", "tax_id": None,
            "address": {"line1": "100 Main Street", "line2": None, "city": "Springfield",
                        "state": "IL", "postal_code": "62701-0001"},
        }]},
    )

    npi: Npi
    kind: Kind
    first_name: FirstName | None = None
    last_name: LastName | None = None
    organization_name: LastName | None = None
    taxonomy: ShortCode | None = None
    tax_id: ShortCode | None = None
    address: Address


class ProviderPatch(RequestModel):
    """Fields to change; a field left out keeps its value. The NPI is the resource's name."""

    kind: Kind | None = None
    first_name: FirstName | None = None
    last_name: LastName | None = None
    organization_name: LastName | None = None
    taxonomy: ShortCode | None = None
    tax_id: ShortCode | None = None
    address: Address | None = None


class ProviderOut(BaseModel):
    npi: str
    kind: Kind
    first_name: str | None
    last_name: str | None
    organization_name: str | None
    taxonomy: str | None
    tax_id: str | None
    address: Address
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, provider: Provider) -> ProviderOut:
        return cls(
            npi=provider.npi,
            kind=provider.kind,  # type: ignore[arg-type]
            first_name=provider.first_name,
            last_name=provider.last_name,
            organization_name=provider.organization_name,
            taxonomy=provider.taxonomy,
            tax_id=provider.tax_id,
            address=Address.model_validate(provider.address),
            version=provider.version,
            created_at=provider.created_at,
            updated_at=provider.updated_at,
        )


def registration(body: ProviderCreate | ProviderOut) -> dict[str, Any]:
    """The fields the registration rules check."""
    return body.model_dump(include={"npi", "kind", "first_name", "last_name",
                                    "organization_name", "taxonomy", "tax_id", "address"})
