"""PUT, GET and DELETE /v1/payers/{payer_id}/contract over HTTP: JSON and CSV load the same
contract, a new upload replaces it whole, every refusal is a problem naming the row, field and
rule, and nothing of a refused upload is kept."""

from __future__ import annotations

from typing import Any

from billing_service.contracts.rates import MAX_RATES

CSV = {"Content-Type": "text/csv"}
PATH = "/v1/payers/MOCK-PPO/contract"


async def put(billing: Any, body: Any, *, csv: bool = False, expected: int = 200,
              path: str = PATH) -> dict[str, Any]:
    if csv:
        response = await billing.http.put(path, content=body, headers=CSV)
    else:
        response = await billing.http.put(path, json=body)
    assert response.status_code == expected, response.text
    if expected != 200:
        assert response.headers["content-type"] == "application/problem+json"
    return response.json()  # type: ignore[no-any-return]


def rates(contract: dict[str, Any]) -> list[tuple[str, str | None, str]]:
    return [(r["procedure_code"], r["modifier"], r["allowed"]) for r in contract["rates"]]


async def test_a_json_contract_is_loaded_and_read_back(billing, contracts) -> None:
    contracts.append("MOCK-PPO")
    loaded = await put(billing, {"rates": [
        {"procedure_code": "99214", "modifier": None, "allowed": "185"},
        {"procedure_code": "99213", "modifier": "25", "allowed": "140.00"},
        {"procedure_code": "99213", "allowed": "130.00"},
        {"procedure_code": "j1100", "modifier": "", "allowed": "12.5"}]})
    assert loaded["payer_id"] == "MOCK-PPO"
    assert rates(loaded) == [("99213", None, "130.00"), ("99213", "25", "140.00"),
                             ("99214", None, "185.00"), ("J1100", None, "12.50")]
    assert await billing.get(PATH) == loaded


async def test_a_csv_contract_replaces_the_json_one_whole(billing, contracts) -> None:
    contracts.append("MOCK-PPO")
    await put(billing, {"rates": [{"procedure_code": "99214", "allowed": "185.00"}]})
    loaded = await put(billing, "procedure_code,modifier,allowed\r\n99213,,130.00\r\n"
                                "99213,25,140.00\r\n", csv=True)
    assert rates(loaded) == [("99213", None, "130.00"), ("99213", "25", "140.00")]
    assert rates(await billing.get(PATH)) == rates(loaded)


async def test_a_refused_upload_keeps_the_contract_as_it_was(billing, contracts) -> None:
    contracts.append("MOCK-PPO")
    kept = await put(billing, {"rates": [{"procedure_code": "99213", "allowed": "130.00"}]})
    problem = await put(billing, {"rates": [
        {"procedure_code": "99213", "allowed": "131.00"},
        {"procedure_code": "9921", "modifier": "2", "allowed": "0.00"}]}, expected=422)
    assert (problem["type"], problem["title"]) == ("https://rcm.dev/problems/validation",
                                                   "Invalid contract")
    assert [(i["rule"], i["path"]) for i in problem["issues"]] == [
        ("contract.procedure_code.format", "$.rates[1].procedure_code"),
        ("contract.modifier.format", "$.rates[1].modifier"),
        ("contract.allowed.positive", "$.rates[1].allowed")]
    assert await billing.get(PATH) == kept


async def test_csv_refusals_name_the_line(billing, contracts) -> None:
    contracts.append("MOCK-PPO")
    problem = await put(billing, "procedure_code,modifier,allowed\n99213,,130.00\n"
                                 "99213,,131.00\n99214,,185.001\n", csv=True, expected=422)
    assert [(i["rule"], i["path"], i["message"]) for i in problem["issues"]] == [
        ("contract.rate.duplicate", "line 3 (procedure_code)",
         "line 3: 99213 with no modifier is already priced by line 2; each code and modifier "
         "has one rate"),
        ("contract.allowed.format", "line 4 (allowed)",
         "line 4: allowed '185.001' is not an amount per unit written as a decimal string "
         "with at most two places, e.g. \"118.30\"")]
    problem = await put(billing, "code,allowed\n99213,130.00\n", csv=True, expected=422)
    assert problem["issues"][0]["rule"] == "contract.csv.header"
    # Nothing was loaded by either.
    assert (await billing.http.get(PATH)).status_code == 404


async def test_bodies_that_are_no_contract_are_refused(billing) -> None:
    response = await billing.http.put(PATH, content=b'{"rates": [',
                                      headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert response.json()["issues"][0]["rule"] == "contract.json.syntax"
    response = await billing.http.put(PATH, content=b"\xff\xfe99213", headers=CSV)
    assert response.status_code == 422
    assert response.json()["issues"][0]["rule"] == "contract.encoding"
    response = await billing.http.put(PATH, content=b"99213,,1.00",
                                      headers={"Content-Type": "text/plain"})
    assert response.status_code == 415, response.text


async def test_the_rows_and_the_bytes_are_capped(billing, contracts) -> None:
    contracts.append("MOCK-PPO")
    header = "procedure_code,modifier,allowed\n"
    most = "".join(f"{10000 + n},,1.00\n" for n in range(MAX_RATES))
    assert len((await put(billing, header + most, csv=True))["rates"]) == MAX_RATES
    problem = await put(billing, header + most + "99213,,1.00\n", csv=True, expected=422)
    assert [(i["rule"], i["path"]) for i in problem["issues"]] == [
        ("contract.rates.too_many", "line 2")]
    response = await billing.http.put(PATH, content=header + "99213,,1.00\n" * 100_000,
                                      headers=CSV)
    assert response.status_code == 413, response.text


async def test_an_unknown_payer_or_no_contract_answers_404(billing, contracts) -> None:
    body = {"rates": [{"procedure_code": "99213", "allowed": "130.00"}]}
    problem = await put(billing, body, path="/v1/payers/NOPE/contract", expected=404)
    assert problem["detail"] == "No payer with that id."
    assert (await billing.http.get("/v1/payers/NOPE/contract")).status_code == 404
    missing = await billing.http.get("/v1/payers/MOCK-HMO/contract")
    assert (missing.status_code, missing.json()["detail"]) == (
        404, "No contract with MOCK-HMO is loaded.")
    assert (await billing.http.delete("/v1/payers/MOCK-HMO/contract")).status_code == 404
    contracts.append("MOCK-HMO")
    await put(billing, body, path="/v1/payers/MOCK-HMO/contract")
    assert (await billing.http.delete("/v1/payers/MOCK-HMO/contract")).status_code == 204
    assert (await billing.http.get("/v1/payers/MOCK-HMO/contract")).status_code == 404


async def test_loading_a_contract_needs_the_write_scope(billing) -> None:
    response = await billing.http.put(
        PATH, json={"rates": [{"procedure_code": "99213", "allowed": "130.00"}]},
        headers={"Authorization": "Bearer demo-key-clinic-a-readonly"})
    assert response.status_code == 403
