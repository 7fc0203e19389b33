"""One visit's whole story against the running services, printed step by step.

A coder codes the visit in coding-service (a validation issue, then a clean finalize); the
biller records the patient's coverage and claims it in billing-service; the payer rejects it
(a mistyped member id), the biller fixes the coverage and resubmits; the payer denies a code
the plan excludes, the coder corrects the coding and the biller sends a replacement claim,
which is paid. A visit entered in error is billed and voided on the way. It ends with the paid
claim, its remittance and the patient's statement.

    make run            # in one terminal
    make demo           # in another; CODING_URL / BILLING_URL point elsewhere

Each run uses new visit, patient and member ids, so it can run again and again.
"""

from __future__ import annotations

import os
import secrets
import sys
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import httpx

CODING_URL = os.environ.get("CODING_URL", "http://127.0.0.1:8001").rstrip("/")
BILLING_URL = os.environ.get("BILLING_URL", "http://127.0.0.1:8002").rstrip("/")
API_KEY = "demo-key-clinic-a"
PAYER_ID = "MOCK-HMO"
# Valid NPIs (Luhn over the 80840 prefix).
BILLING_NPI = "1234567893"
RENDERING_NPI = "1245319599"
CLINIC_ADDRESS = {"line1": "100 MAIN STREET", "line2": None, "city": "SPRINGFIELD",
                  "state": "IL", "postal_code": "62701-0001"}
# What the claims name by NPI: registered by development mode, or here when it is not.
PROVIDERS = (
    {"npi": BILLING_NPI, "kind": "organization", "organization_name": "DEMO CLINIC",
     "taxonomy": "261QP2300X", "tax_id": "990000001", "address": CLINIC_ADDRESS},
    {"npi": RENDERING_NPI, "kind": "person", "first_name": "ROSA", "last_name": "DIAZ",
     "taxonomy": "207Q00000X", "tax_id": None, "address": CLINIC_ADDRESS},
)
# How long to keep driving the payer before giving up on an answer.
PAYER_PATIENCE_SECONDS = 30


class DemoStopped(Exception):
    """A step did not answer as the story needs; the message says what happened."""


class ServiceDown(Exception):
    pass


def heading(text: str) -> None:
    print(f"\n== {text} ==")


def show(text: str) -> None:
    print(f"      {text}")


class Api:
    """One service over HTTP: every request is printed on one line, its answer checked."""

    def __init__(self, name: str, base_url: str) -> None:
        self.name = name
        self.base_url = base_url
        self.http = httpx.Client(base_url=base_url, timeout=30,
                                 headers={"Authorization": f"Bearer {API_KEY}"})

    def call(self, method: str, path: str, *, json: Any = None, if_match: int | None = None,
             expect: tuple[int, ...] = (200, 201), note: str = "") -> Any:
        headers = {"If-Match": str(if_match)} if if_match is not None else {}
        request = (f"  [{self.name}] {method} {path}"
                   + (f"  If-Match: {if_match}" if if_match is not None else "")
                   + (f"  ({note})" if note else ""))
        try:
            response = self.http.request(method, path, json=json, headers=headers)
        except httpx.TransportError as exc:
            raise ServiceDown(f"{self.name} stopped answering at {self.base_url} "
                              f"({type(exc).__name__})") from exc
        print(f"{request}  -> {response.status_code}")
        if response.status_code not in expect:
            raise DemoStopped(f"{method} {path} answered {response.status_code}: "
                              f"{_problem(response)}")
        return response.json()

    def get(self, path: str, note: str = "") -> Any:
        return self.call("GET", path, note=note)

    def post(self, path: str, json: Any = None, **kwargs: Any) -> Any:
        return self.call("POST", path, json=json, **kwargs)


def _problem(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:300]
    if not isinstance(body, dict):
        return str(body)[:300]
    issues = "; ".join(f"{i.get('path')}: {i.get('message')}" for i in body.get("issues", []))
    return " ".join(part for part in (body.get("title"), body.get("detail"), issues) if part)


def check_running(name: str, url: str, title: str) -> None:
    """Exit early, and say how to fix it, when a service is not there."""
    try:
        ready = httpx.get(f"{url}/readyz", timeout=5)
        described = httpx.get(f"{url}/openapi.json", timeout=5)
    except httpx.TransportError as exc:
        raise ServiceDown(f"{name} is not running at {url} ({type(exc).__name__}).") from exc
    if described.status_code != 200 or described.json().get("info", {}).get("title") != title:
        raise ServiceDown(f"{url} answers, but it is not {name}.")
    if ready.status_code != 200:
        raise ServiceDown(f"{name} at {url} is up but not ready: {_problem(ready)}")


def show_issues(issues: list[dict[str, str]]) -> None:
    if not issues:
        show("no issues")
    for i in issues:
        show(f"{i['severity']} {i['rule']} at {i['path']}: {i['message']}")


def claim_line(claim: dict[str, Any]) -> str:
    return (f"claim {claim['id'][:8]} status={claim['status']} "
            f"frequency={claim['frequency_code']} total={claim['total_charge']} "
            f"paid={claim['paid_amount']} patient owes={claim['patient_responsibility']} "
            f"balance={claim['balance']}")


class Story:
    def __init__(self, coding: Api, billing: Api) -> None:
        self.coding = coding
        self.billing = billing
        run = datetime.now().strftime("%Y%m%d%H%M%S") + secrets.token_hex(2)
        self.run = run
        # The address travels on the claim (loop 2010BA): no claim goes without it.
        self.patient = {"id": f"MRN-DEMO-{run}", "first_name": "Ada", "last_name": "Lovelace",
                        "birth_date": "1980-02-14", "sex": "F",
                        "address": {"line1": "12 ST JAMES SQUARE", "line2": None,
                                    "city": "SPRINGFIELD", "state": "IL",
                                    "postal_code": "62704"}}
        # An HMO member id is H and eight digits (H10000001 is the payer's scripted member).
        self.member_id = f"H{secrets.randbelow(80_000_000) + 20_000_000}"
        self.visit_day = date.today() - timedelta(days=2)

    # coding-service

    def encounter(self, suffix: str, visit_day: date) -> dict[str, Any]:
        encounter = self.coding.post("/v1/encounters", json={
            "external_id": f"demo-{self.run}-{suffix}", "patient": self.patient,
            "date_of_service": visit_day.isoformat(), "place_of_service": "11",
            "rendering_provider_npi": RENDERING_NPI, "billing_provider_npi": BILLING_NPI,
        }, note=f"patient {self.patient['id']}, visit on {visit_day}, office POS 11")
        show(f"encounter {encounter['id'][:8]} status={encounter['status']} "
             f"version={encounter['version']}")
        return encounter

    def put_codes(self, encounter: dict[str, Any], diagnoses: list[str],
                  lines: list[tuple[str, str]]) -> dict[str, Any]:
        body = {"diagnoses": [{"code": code} for code in diagnoses],
                "service_lines": [{"procedure_code": code, "modifiers": [], "units": 1,
                                   "charge": charge, "diagnosis_pointers": [1]}
                                  for code, charge in lines]}
        coded = self.coding.call(
            "PUT", f"/v1/encounters/{encounter['id']}/codes", json=body,
            if_match=encounter["version"],
            note=f"diagnoses {', '.join(diagnoses)}; lines "
                 + ", ".join(f"{code} ${charge}" for code, charge in lines))
        show(f"version={coded['version']}")
        show_issues(coded["issues"])
        return coded

    def finalize(self, encounter: dict[str, Any]) -> dict[str, Any]:
        final = self.coding.post(f"/v1/encounters/{encounter['id']}/finalize")
        show(f"status={final['status']} coding_version={final['coding_version']}")
        return final

    # billing-service

    def settle(self, claim_id: str, done: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        """Drive the payer (send, then poll) until the claim shows its answer."""
        deadline = time.monotonic() + PAYER_PATIENCE_SECONDS
        while True:
            outcome = self.billing.post("/v1/admin/process",
                                        note="the payer acknowledges, then adjudicates")
            show(f"sent={outcome['sent']} responses applied={outcome['responses_applied']}")
            claim = self.billing.get(f"/v1/claims/{claim_id}")
            show(claim_line(claim))
            if done(claim):
                return claim
            if time.monotonic() > deadline:
                raise DemoStopped(f"the payer gave no answer for claim {claim_id} in "
                                  f"{PAYER_PATIENCE_SECONDS}s")
            time.sleep(1)

    def submitted(self, claim_id: str, action: str = "submit") -> dict[str, Any]:
        claim = self.billing.post(f"/v1/claims/{claim_id}/{action}")
        show(claim_line(claim))
        return self.settle(claim_id, lambda c: c["status"] not in ("submitted", "accepted"))

    def worklist_item(self, claim_id: str) -> None:
        worklist = self.billing.get("/v1/worklist", note="what needs a biller")
        for item in worklist["items"]:
            if item["claim_id"] == claim_id:
                show(f"{item['kind']}: {item['reason']}")
                show(f"next step: {item['next_step']}")

    def register_providers(self) -> None:
        for provider in PROVIDERS:
            found = self.billing.call("GET", f"/v1/providers/{provider['npi']}",
                                      expect=(200, 404))
            if "npi" not in found:
                found = self.billing.post("/v1/providers", json=provider)
            name = found["organization_name"] or f"{found['first_name']} {found['last_name']}"
            address = found["address"]
            show(f"{found['kind']} {found['npi']} {name}, taxonomy {found['taxonomy']}, "
                 f"{address['city']} {address['state']} {address['postal_code']}")

    def run_story(self) -> None:
        heading("0. The clinic's providers, by NPI (billing-service's registry)")
        self.register_providers()

        heading("1. The coder codes the visit (coding-service)")
        encounter = self.encounter("visit", self.visit_day)
        coded = self.put_codes(encounter, ["E11"], [("97810", "80.00")])
        show("E11 is a category, not a billable code: the coder picks E11.9 instead")
        coded = self.put_codes(coded, ["E11.9"], [("97810", "80.00")])
        self.finalize(coded)

        heading("2. The biller records the coverage and builds the claim (billing-service)")
        payer = self.billing.get(f"/v1/payers/{PAYER_ID}")
        plan = payer["plans"][0]
        show(f"{payer['name']}: {plan['name']}, deductible {plan['deductible']}, copay "
             f"{plan['copay']} per visit, coinsurance {plan['coinsurance_percent']}%")
        mistyped = self.member_id[:-1]
        coverage = self.billing.post("/v1/coverages", json={
            "patient_id": self.patient["id"], "payer_id": PAYER_ID, "member_id": mistyped,
            "group_number": "G-100", "relationship": "self",
            "subscriber": {k: v for k, v in self.patient.items() if k not in ("id", "address")},
            "effective_from": date(self.visit_day.year, 1, 1).isoformat(), "effective_to": None,
        }, note=f"member id {mistyped}, one digit missing")
        show(f"coverage {coverage['id'][:8]} version={coverage['version']}")
        claim = self.billing.post("/v1/claims", json={"encounter_id": encounter["id"]},
                                  note="fetches the finalized encounter from coding-service")
        show(claim_line(claim))
        show("the claim scrubber finds:")
        show_issues(claim["scrub_issues"])

        heading("3. Submitted: the payer rejects it, the biller fixes the member id")
        rejected = self.submitted(claim["id"])
        for error in rejected["payer_errors"]:
            show(f"payer error {error['code']}: {error['message']}")
        self.worklist_item(claim["id"])
        coverage = self.billing.call("PATCH", f"/v1/coverages/{coverage['id']}",
                                     json={"member_id": self.member_id},
                                     if_match=coverage["version"],
                                     note=f"member id {self.member_id}")
        show(f"coverage version={coverage['version']}")

        heading("4. Resubmitted: accepted, then denied (the plan excludes acupuncture)")
        denied = self.submitted(claim["id"], "resubmit")
        self.print_remittance(denied["id"])
        self.worklist_item(denied["id"])

        heading("5. The coder corrects the coding; the biller sends a replacement claim")
        reopened = self.coding.post(f"/v1/encounters/{encounter['id']}/reopen",
                                    json={"reason": "The visit was an office visit"})
        show(f"status={reopened['status']} coding_version={reopened['coding_version']}")
        coded = self.put_codes(reopened, ["E11.9", "I10"],
                               [("99214", "200.00"), ("36415", "15.00")])
        self.finalize(coded)
        replacement = self.billing.post(f"/v1/claims/{denied['id']}/corrections",
                                        json={"encounter_coding_version": 2})
        show(claim_line(replacement))
        show(f"replaces payer claim {replacement['original_payer_claim_number']}")
        paid = self.submitted(replacement["id"])
        original = self.billing.get(f"/v1/claims/{denied['id']}")
        show(f"the original: {claim_line(original)}")

        heading("6. A visit entered in error is billed, paid, then voided")
        mistake = self.encounter("entered-in-error", self.visit_day - timedelta(days=1))
        coded = self.put_codes(mistake, ["I10"], [("99212", "95.00")])
        self.finalize(coded)
        wrong = self.billing.post("/v1/claims", json={"encounter_id": mistake["id"]})
        show(claim_line(wrong))
        wrong = self.submitted(wrong["id"])
        voided = self.billing.post(f"/v1/claims/{wrong['id']}/void")
        show(claim_line(voided))
        self.settle(wrong["id"], lambda c: c["paid_amount"] == "0.00"
                    and c["patient_responsibility"] == "0.00")
        self.print_events(wrong["id"])

        heading("7. The paid claim")
        paid = self.billing.get(f"/v1/claims/{paid['id']}")
        show(claim_line(paid))
        show(f"payer claim {paid['payer_claim_control_number']}, "
             f"diagnoses {', '.join(paid['diagnoses'])}")
        for line in paid["lines"]:
            show(f"line {line['line_number']}: {line['procedure_code']} x{line['units']} "
                 f"${line['charge']} pointers {line['diagnosis_pointers']}")
        self.print_events(paid["id"])
        self.print_remittance(paid["id"])

        heading("8. The patient's statement")
        statement = self.billing.get(f"/v1/patients/{self.patient['id']}/statement")
        for item in statement["claims"]:
            show(f"visit of {item['date_of_service']}: {item['status_text']}")
            show(f"billed {item['billed']}, insurance paid {item['insurance_paid']}, "
                 f"plan discount {item['plan_discount']}, you owe {item['you_owe']}")
            for explanation in item["explanation"]:
                show(f"  - {explanation['text']}")
        show(statement["summary"])

    def print_events(self, claim_id: str) -> None:
        for event in self.billing.get(f"/v1/claims/{claim_id}/events")["items"]:
            show(f"{event['action']:<14} {event['from'] or '-':>14} -> {event['to']:<14} "
                 f"by {event['actor']}" + (f": {event['reason']}" if event["reason"] else ""))

    def print_remittance(self, claim_id: str) -> None:
        remittance = self.billing.get(f"/v1/claims/{claim_id}/remittance")
        for posted in remittance["remittances"]:
            show(f"remittance {posted['trace_number']} ({posted['status']}): billed "
                 f"{posted['billed']}, allowed {posted['allowed']}, paid {posted['paid']}, "
                 f"patient {posted['patient_responsibility']}")
            for line in posted["lines"]:
                adjustments = ", ".join(f"{a['description']} {a['amount']}"
                                        for a in line["adjustments"])
                remarks = f" [{', '.join(line['rarc'])}]" if line["rarc"] else ""
                show(f"  line {line['line_number']} {line['procedure_code']}: billed "
                     f"{line['billed']} = paid {line['paid']} + {adjustments}{remarks}")
        totals = remittance["totals"]
        show(f"totals: paid {totals['paid']}, patient {totals['patient_responsibility']}, "
             f"balance {totals['balance']}")


def main() -> int:
    try:
        check_running("coding-service", CODING_URL, "coding-service")
        check_running("billing-service", BILLING_URL, "billing-service")
        print(f"coding-service at {CODING_URL}, billing-service at {BILLING_URL}, "
              f"key {API_KEY}")
        Story(Api("coding", CODING_URL), Api("billing", BILLING_URL)).run_story()
    except ServiceDown as exc:
        print(f"\ndemo: {exc}\nStart both services with `make run` (or point CODING_URL and "
              "BILLING_URL at them) and run the demo again.", file=sys.stderr)
        return 2
    except DemoStopped as exc:
        print(f"\ndemo stopped: {exc}", file=sys.stderr)
        return 1
    print("\nDone: coded, claimed, rejected and fixed, denied and corrected, paid; "
          "a mistaken visit voided.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
