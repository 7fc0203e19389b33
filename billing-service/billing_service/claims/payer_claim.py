"""Stored claim + its coverage as it is now -> what its 837P carries. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Literal, cast

from billing_service.claims.coordination import coverage_denied
from billing_service.models.claim import Claim, RemittancePosting
from billing_service.models.coverage import Coverage
from billing_service.models.provider import Provider
from billing_service.payers.adapter import (
    Adjustment,
    ClaimForPayer,
    ClaimLineForPayer,
    DrugCode,
    Person,
    PostalAddress,
    PriorLineAdjudication,
    PriorPayerAdjudication,
    ProviderParty,
    ServiceFacility,
)

Frequency = Literal["1", "7", "8"]
# SBR01 by how many payers before this one adjudicated the claim.
PAYER_PLACES: tuple[Literal["P", "S", "T"], ...] = ("P", "S", "T")


def subscriber_of(coverage: Coverage) -> Person:
    return Person(
        first_name=coverage.subscriber_first_name,
        last_name=coverage.subscriber_last_name,
        birth_date=coverage.subscriber_birth_date,
        sex=coverage.subscriber_sex,
    )


def _adjustments(posting: RemittancePosting, line_number: int | None) -> tuple[Adjustment, ...]:
    return tuple(Adjustment(a.group_code, a.carc, a.amount)  # type: ignore[arg-type]
                 for a in posting.adjustments if a.line_number == line_number)


def paid_before(posting: RemittancePosting) -> bool:
    """Whether the payer's remittance makes it a payer before the next one (loop 2320): it
    adjudicated the claim, rather than saying another payer comes first."""
    return not coverage_denied(posting.paid, _adjustments(posting, None) + tuple(
        a for line in posting.lines for a in _adjustments(posting, line.line_number)))


def prior_payer(
    coverage: Coverage, payer_name: str, claim_filing_indicator: str,
    posting: RemittancePosting, place: int,
) -> PriorPayerAdjudication:
    """What the payer of `coverage` did with the claim (its posted remittance), as the next
    payer's 837P carries it; `place` is its position among the payers before (0 first)."""
    adjudicated_on = posting.paid_date or posting.posted_at.date()
    return PriorPayerAdjudication(
        payer_id=coverage.payer_id,
        payer_name=payer_name,
        member_id=coverage.member_id,
        subscriber=subscriber_of(coverage),
        relationship=coverage.relationship,
        payer_sequence="P" if place == 0 else "S",
        claim_filing_indicator=claim_filing_indicator,
        paid=posting.paid,
        patient_responsibility=posting.patient_responsibility,
        claim_adjustments=_adjustments(posting, None),
        lines=tuple(
            PriorLineAdjudication(line.line_number, line.procedure_code, line.paid,
                                  _adjustments(posting, line.line_number), adjudicated_on)
            for line in posting.lines
        ),
    )


def postal_address(address: Mapping[str, Any] | None) -> PostalAddress | None:
    """A stored rcm_shared.address.Address."""
    if address is None:
        return None
    return PostalAddress(line1=address["line1"], line2=address.get("line2"),
                         city=address["city"], state=address["state"],
                         postal_code=address["postal_code"])


def stored_drug(ndc: Mapping[str, str] | None) -> DrugCode | None:
    """A claim line's stored NDC."""
    if ndc is None:
        return None
    return DrugCode(code=ndc["code"], unit=ndc["unit"], quantity=Decimal(ndc["quantity"]))


def referring_party(referring: Mapping[str, Any] | None) -> ProviderParty | None:
    """The encounter's referring provider: a person known by NPI and name (loop 2310A)."""
    if referring is None:
        return None
    return ProviderParty(npi=referring["npi"], is_person=True,
                         last_name=referring["last_name"], first_name=referring["first_name"])


def facility(service_facility: Mapping[str, Any] | None) -> ServiceFacility | None:
    if service_facility is None:
        return None
    address = postal_address(service_facility["address"])
    assert address is not None  # coding-service requires a facility's address
    return ServiceFacility(name=service_facility["name"], npi=service_facility.get("npi"),
                           address=address)


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
    prior_payers: tuple[PriorPayerAdjudication, ...] = (),
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
        subscriber=subscriber_of(coverage),
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
                date_of_service_to=line.date_of_service_to,
                ndc=stored_drug(line.ndc),
            )
            for line in claim.lines
        ),
        total_charge=claim.total_charge,
        claim_filing_indicator=claim_filing_indicator,
        subscriber_address=postal_address(coverage.subscriber_address),
        patient_address=postal_address(claim.patient_address),
        referring_provider=referring_party(claim.referring_provider),
        service_facility=facility(claim.service_facility),
        prior_authorization=claim.prior_authorization,
        billing_provider=provider_party(providers.get(claim.billing_provider_npi)),
        rendering_provider=provider_party(providers.get(claim.rendering_provider_npi)),
        payer_sequence=PAYER_PLACES[len(prior_payers)],
        prior_payers=prior_payers,
    )
