"""Stored claim + its coverage as it is now -> what its 837P carries. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, cast

from billing_service.models.claim import Claim
from billing_service.models.coverage import Coverage
from billing_service.models.provider import Provider
from billing_service.payers.adapter import (
    ClaimForPayer,
    ClaimLineForPayer,
    Person,
    PostalAddress,
    ProviderParty,
)

Frequency = Literal["1", "7", "8"]


def postal_address(address: Mapping[str, Any] | None) -> PostalAddress | None:
    """A stored rcm_shared.address.Address."""
    if address is None:
        return None
    return PostalAddress(line1=address["line1"], line2=address.get("line2"),
                         city=address["city"], state=address["state"],
                         postal_code=address["postal_code"])


def provider_party(provider: Provider | None) -> ProviderParty | None:
    if provider is None:
        return None
    is_person = provider.kind == "person"
    return ProviderParty(
        npi=provider.npi,
        is_person=is_person,
        last_name=(provider.last_name if is_person else provider.organization_name) or "",
        first_name=provider.first_name if is_person else None,
        taxonomy=provider.taxonomy,
        tax_id=provider.tax_id,
        address=postal_address(provider.address),
    )


def claim_for_payer(
    claim: Claim, coverage: Coverage, submission_id: str, frequency_code: str,
    providers: Mapping[str, Provider], claim_filing_indicator: str,
) -> ClaimForPayer:
    """`providers`: the tenant's registered providers by NPI (those the claim names);
    `claim_filing_indicator`: SBR09, the coverage's plan's."""
    # A void refers to the claim's own payer number; a replacement to its original's.
    original_number = (
        claim.payer_claim_control_number if frequency_code == "8"
        else claim.original_payer_claim_number
    )
    return ClaimForPayer(
        submission_id=submission_id,
        patient_control_number=claim.patient_control_number,
        frequency_code=cast(Frequency, frequency_code),
        original_payer_claim_number=original_number,
        payer_id=coverage.payer_id,
        plan_code=coverage.plan_code,
        member_id=coverage.member_id,
        group_number=coverage.group_number,
        relationship=coverage.relationship,
        subscriber=Person(
            first_name=coverage.subscriber_first_name,
            last_name=coverage.subscriber_last_name,
            birth_date=coverage.subscriber_birth_date,
            sex=coverage.subscriber_sex,
        ),
        patient=Person(
            first_name=claim.patient_first_name,
            last_name=claim.patient_last_name,
            birth_date=claim.patient_birth_date,
            sex=claim.patient_sex,
        ),
        patient_id=claim.patient_id,
        billing_provider_npi=claim.billing_provider_npi,
        rendering_provider_npi=claim.rendering_provider_npi,
        place_of_service=claim.place_of_service,
        date_of_service=claim.date_of_service,
        diagnoses=tuple(claim.diagnoses),
        lines=tuple(
            ClaimLineForPayer(
                line_number=line.line_number,
                procedure_code=line.procedure_code,
                modifiers=tuple(line.modifiers),
                units=line.units,
                charge=line.charge,
                diagnosis_pointers=tuple(line.diagnosis_pointers),
                date_of_service=line.date_of_service,
            )
            for line in claim.lines
        ),
        total_charge=claim.total_charge,
        claim_filing_indicator=claim_filing_indicator,
        subscriber_address=postal_address(coverage.subscriber_address),
        billing_provider=provider_party(providers.get(claim.billing_provider_npi)),
        rendering_provider=provider_party(providers.get(claim.rendering_provider_npi)),
    )
