"""The audit trail: who read or changed which claim, coverage or statement, ids only, behind
the admin scope and within the caller's tenant."""

from __future__ import annotations

from typing import Any

import httpx
from payer_files import denial_835

CLINIC_B = {"Authorization": "Bearer demo-key-clinic-b"}
READONLY = {"Authorization": "Bearer demo-key-clinic-a-readonly"}
BILLER = {"Authorization": "Bearer demo-key-clinic-a-biller"}
X12 = {"Content-Type": "application/edi-x12"}


async def trail(client: httpx.AsyncClient, resource_type: str, resource_id: str,
                **params: Any) -> list[dict[str, Any]]:
    response = await client.get("/v1/audit", params={
        "resource_type": resource_type, "resource_id": resource_id, "limit": 200, **params})
    assert response.status_code == 200, response.text
    return list(reversed(response.json()["items"]))


async def test_every_read_and_change_of_a_claim_is_recorded(billing) -> None:
    claim = await billing.covered_claim()
    url = f"/v1/claims/{claim['id']}"
    read = await billing.http.get(url)
    await billing.get(f"{url}/events")
    await billing.act(claim["id"], "submit")
    await billing.get(f"{url}/remittance")
    exported = await billing.http.get(f"{url}/x12")
    assert exported.status_code == 200
    batch = await billing.http.post("/v1/claims/x12-batch", json={"claim_ids": [claim["id"]]})
    assert batch.status_code == 200
    await billing.process()

    entries = await trail(billing.http, "claim", claim["id"])
    assert [e["action"] for e in entries] == [
        "create", "read", "read", "submit", "read", "read", "export"]
    assert entries[1]["request_id"] == read.headers["x-request-id"]
    assert all(e["actor"].startswith("key:") and e["tenant_id"] == "clinic-a" for e in entries)


async def test_coverage_and_statement_reads_and_changes_are_recorded(billing) -> None:
    claim = await billing.covered_claim()
    coverage_id = claim["coverage_id"]
    await billing.get(f"/v1/coverages/{coverage_id}")
    await billing.http.patch(f"/v1/coverages/{coverage_id}", json={"group_number": "G-7"},
                             headers={"If-Match": "1"})
    patient_id = claim["patient"]["id"]
    await billing.submitted_and_processed(claim["id"])
    await billing.get(f"/v1/patients/{patient_id}/statement")

    assert [e["action"] for e in await trail(billing.http, "coverage", coverage_id)] == [
        "create", "read", "update"]
    assert [e["action"] for e in await trail(billing.http, "statement", patient_id)] == [
        "read"]


async def test_a_remittance_upload_records_the_file_and_each_claim_posted(billing) -> None:
    claim = await billing.covered_claim()
    submitted = await billing.act(claim["id"], "submit")
    posted = await billing.http.post("/v1/remittances", headers=X12, content=denial_835(
        submitted["patient_control_number"], "PPO-AUDIT-1", "TRACE-AUDIT-1"))
    assert posted.json()["posted"] == 1
    [file_entry] = await trail(billing.http, "remittance_file", str(posted.json()["file_id"]))
    assert file_entry["action"] == "upload"
    assert (await trail(billing.http, "claim", claim["id"]))[-1]["action"] == "post_remittance"
    await billing.process()


async def test_lists_are_recorded_without_a_resource(billing) -> None:
    listed = await billing.http.get("/v1/claims", params={"limit": 1})
    worklist = await billing.http.get("/v1/worklist")
    entries = (await billing.http.get("/v1/audit", params={"limit": 20})).json()["items"]
    by_request = {e["request_id"]: e for e in entries}
    assert (by_request[listed.headers["x-request-id"]]["action"],
            by_request[listed.headers["x-request-id"]]["resource_id"]) == ("list", None)
    assert by_request[worklist.headers["x-request-id"]]["resource_type"] == "worklist"


async def test_failed_requests_leave_no_entry(billing) -> None:
    claim = await billing.covered_claim()
    before = await trail(billing.http, "claim", claim["id"])
    assert (await billing.http.post(f"/v1/claims/{claim['id']}/void")).status_code == 409
    assert (await billing.http.post(f"/v1/claims/{claim['id']}/submit",
                                    headers={"If-Match": "9"})).status_code == 412
    assert await trail(billing.http, "claim", claim["id"]) == before


async def test_only_admin_keys_read_the_trail_and_only_their_tenant(billing) -> None:
    claim = await billing.covered_claim()
    for headers in (READONLY, BILLER):
        refused = await billing.http.get("/v1/audit", headers=headers)
        assert refused.status_code == 403
    theirs = await billing.http.get("/v1/audit", headers=CLINIC_B,
                                    params={"resource_id": claim["id"]})
    assert theirs.json()["items"] == []
    # clinic-b's own reads of clinic-a's claim found nothing, so recorded nothing.
    assert (await billing.http.get(f"/v1/claims/{claim['id']}", headers=CLINIC_B)
            ).status_code == 404
    assert all(e["tenant_id"] == "clinic-a" for e in await trail(billing.http, "claim",
                                                                   claim["id"]))


async def test_entries_carry_ids_never_patient_data(billing) -> None:
    claim = await billing.covered_claim()
    await billing.get(f"/v1/claims/{claim['id']}")
    text = (await billing.http.get("/v1/audit", params={"limit": 200})).text
    for value in (claim["patient"]["first_name"], claim["patient"]["last_name"],
                  claim["patient"]["birth_date"]):
        assert value not in text


async def test_the_trail_pages_newest_first(billing) -> None:
    claim = await billing.covered_claim()
    for _ in range(3):
        await billing.get(f"/v1/claims/{claim['id']}")
    first = (await billing.http.get("/v1/audit", params={
        "resource_type": "claim", "resource_id": claim["id"], "limit": 2})).json()
    rest = (await billing.http.get("/v1/audit", params={
        "resource_type": "claim", "resource_id": claim["id"], "limit": 2,
        "cursor": first["next_cursor"]})).json()
    ids = [e["id"] for e in first["items"] + rest["items"]]
    assert ids == sorted(ids, reverse=True) and len(ids) == 4
    assert rest["next_cursor"] is None
