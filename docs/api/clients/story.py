"""The README's walk-through driven by the Python clients generated from both services'
OpenAPI documents (openapi-python-client). It prints what the story ends with as one JSON
line, the same the TypeScript story prints; any step answered otherwise raises."""

from __future__ import annotations

import datetime
import json
import os
from typing import Any, TypeVar

from billing_client import AuthenticatedClient as BillingClient
from billing_client.api.claims import (
    claim_events,
    claim_remittance,
    create_claim,
    get_claim,
    submit_claim,
)
from billing_client.api.coverages import create_coverage
from billing_client.api.operations import process
from billing_client.api.patients import patient_statement
from billing_client.api.payers import list_payers
from billing_client.api.providers import get_provider
from billing_client.api.worklist import worklist
from billing_client.models import (
    ClaimCreate,
    ClaimEventOutPage,
    ClaimOut,
    ClaimRemittanceOut,
    CoverageCreate,
    CoverageCreateRelationship,
    CoverageOut,
    PayerList,
    Person,
    PersonSex,
    ProcessOut,
    ProviderOut,
    StatementOut,
    WorklistOut,
)
from billing_client.types import Response as BillingResponse
from coding_client import AuthenticatedClient as CodingClient
from coding_client.api.code_sets import search_icd_10_cm
from coding_client.api.encounters import create_encounter, finalize, put_codes
from coding_client.api.feed import events
from coding_client.models import (
    Address,
    Codes,
    Diagnosis,
    EncounterCreate,
    EncounterOut,
    FeedPage,
    IcdSearchResult,
    Patient,
    PatientSex,
    ServiceLineInput,
)
from coding_client.types import Response as CodingResponse

Parsed = TypeVar("Parsed")


def setting(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set")
    return value


def expect(step: str, response: CodingResponse[Any] | BillingResponse[Any],
           kind: type[Parsed]) -> Parsed:
    """The parsed body of a documented success, or the problem the server answered."""
    if not isinstance(response.parsed, kind):
        raise RuntimeError(f"{step} answered {response.status_code}: {response.content!r}")
    return response.parsed


def main() -> None:
    api_key = setting("API_KEY")
    coding = CodingClient(base_url=setting("CODING_URL"), token=api_key)
    billing = BillingClient(base_url=setting("BILLING_URL"), token=api_key)
    patient_id = setting("PATIENT_ID")
    member_id = setting("MEMBER_ID")
    date_of_service = datetime.date.fromisoformat(setting("DATE_OF_SERVICE"))
    birth_date = datetime.date(1980, 2, 14)

    # 1. The EHR records an encounter, with the patient's address the 837P names (the
    # subscriber's too: the coverage below is the patient's own).
    created = expect("createEncounter", create_encounter.sync_detailed(
        client=coding, body=EncounterCreate(
            external_id=f"ehr-visit-{patient_id}",
            patient=Patient(id=patient_id, first_name="Ada", last_name="Lovelace",
                            birth_date=birth_date, sex=PatientSex.F, address=Address(
                                line1="12 St James Square", city="Springfield", state="IL",
                                postal_code="62704")),
            date_of_service=date_of_service, place_of_service="11",
            rendering_provider_npi="1234567893", billing_provider_npi="1234567893")),
        EncounterOut)

    # 2. The coder looks codes up and assigns them, If-Match carrying the version read.
    search = expect("searchIcd10cm", search_icd_10_cm.sync_detailed(
        client=coding, q="type 2 diabetes", limit=5), IcdSearchResult)
    coded = expect("putCodes", put_codes.sync_detailed(
        created.id, client=coding, if_match=str(created.version), body=Codes(
            diagnoses=[Diagnosis(code="E11.9"), Diagnosis(code="I10")],
            service_lines=[
                ServiceLineInput(procedure_code="99214", modifiers=["25"], units=1,
                                 charge="180.00", diagnosis_pointers=[1, 2]),
                ServiceLineInput(procedure_code="20610", modifiers=["RT"], units=1,
                                 charge="240.00", diagnosis_pointers=[2]),
            ])), EncounterOut)

    # 3. Finalize, and the feed says so.
    finalized = expect("finalize", finalize.sync_detailed(created.id, client=coding),
                       EncounterOut)
    feed = expect("events", events.sync_detailed(client=coding, limit=100), FeedPage)

    # 4. The biller reads the provider and payers, records the coverage and makes the claim.
    provider = expect("getProvider", get_provider.sync_detailed("1234567893", client=billing),
                      ProviderOut)
    payers = expect("listPayers", list_payers.sync_detailed(client=billing), PayerList)
    expect("createCoverage", create_coverage.sync_detailed(client=billing, body=CoverageCreate(
        patient_id=patient_id, payer_id="MOCK-PPO", member_id=member_id, group_number="G-100",
        relationship=CoverageCreateRelationship.SELF,
        subscriber=Person(first_name="Ada", last_name="Lovelace", birth_date=birth_date,
                          sex=PersonSex.F),
        effective_from=datetime.date(date_of_service.year, 1, 1), effective_to=None)),
        CoverageOut)
    claim = expect("createClaim", create_claim.sync_detailed(
        client=billing, body=ClaimCreate(encounter_id=created.id)), ClaimOut)

    # 5. Submit it and let the payer answer.
    submitted = expect("submitClaim", submit_claim.sync_detailed(claim.id, client=billing),
                       ClaimOut)
    processed = expect("process", process.sync_detailed(client=billing), ProcessOut)
    adjudicated = expect("getClaim", get_claim.sync_detailed(claim.id, client=billing),
                         ClaimOut)
    remittance = expect("claimRemittance", claim_remittance.sync_detailed(
        claim.id, client=billing), ClaimRemittanceOut)
    history = expect("claimEvents", claim_events.sync_detailed(claim.id, client=billing),
                     ClaimEventOutPage)
    statement = expect("patientStatement", patient_statement.sync_detailed(
        patient_id, client=billing), StatementOut)
    work = expect("worklist", worklist.sync_detailed(client=billing), WorklistOut)

    print(json.dumps({
        "first_search_code": search.items[0].code if search.items else None,
        "coded_version": coded.version,
        "coded_errors": sum(1 for issue in coded.issues if issue.severity.value == "error"),
        "finalized_status": finalized.status.value,
        "finalized_coding_version": finalized.coding_version,
        "feed_finalized": any(event.type_.value == "encounter.finalized"
                              and event.encounter_id == created.id for event in feed.items),
        "provider_tax_id": provider.tax_id,
        "payer_ids": [payer.payer_id for payer in payers.items],
        "claim_status": claim.status.value,
        "claim_total_charge": claim.total_charge,
        "submitted_status": submitted.status.value,
        "pending_jobs": processed.pending_jobs,
        "adjudicated_status": adjudicated.status.value,
        "paid_amount": adjudicated.paid_amount,
        "remittance_totals": remittance.totals.to_dict(),
        "claim_actions": [event.action for event in history.items],
        "you_owe": statement.totals.you_owe,
        "worklist_claim_ids": [item.claim_id for item in work.items],
    }))


if __name__ == "__main__":
    main()
