"""The tenant's contract with a payer, loaded whole (JSON or CSV) and read back, and each
posted remittance compared with it."""

from __future__ import annotations

import json

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from billing_service.contracts import rates as contract_rates
from billing_service.contracts.repository import ContractRepository
from billing_service.contracts.underpayment import Comparison, compare, contract_rate
from billing_service.models.claim import Claim, RemittancePosting
from billing_service.models.contract import PayerContractRate
from billing_service.payers.adapter import Remittance
from billing_service.payers.service import PayerService
from rcm_shared.auth import Principal
from rcm_shared.db import utcnow
from rcm_shared.issues import IssueDict, issue
from rcm_shared.money import ZERO, to_money
from rcm_shared.problems import ProblemError, conflict, not_found

JSON = "application/json"
CSV = "text/csv"
MEDIA_TYPES = (JSON, CSV)
# A contract of MAX_RATES rows as JSON stays under it.
MAX_BYTES = 1_048_576


def _invalid(findings: list[IssueDict]) -> ProblemError:
    return ProblemError(422, "Invalid contract",
                        "Nothing was loaded; the issues name each row and field refused and "
                        "why.", type_="validation", issues=findings)


def read_rates(media_type: str, body: bytes) -> list[contract_rates.Rate]:
    """The rates of a request body of `media_type`; 415, 413 or 422 when it cannot be."""
    if media_type not in MEDIA_TYPES:
        raise ProblemError(415, "Unsupported Media Type",
                           f"Send the contract as {' or '.join(MEDIA_TYPES)}.",
                           type_="unsupported-media-type")
    if len(body) > MAX_BYTES:
        raise ProblemError(413, "Contract too large",
                           f"A contract is at most {MAX_BYTES} bytes; this one is {len(body)}.",
                           type_="too-large")
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _invalid([issue("contract.encoding", "$", "The body is not UTF-8 text.")]) from exc
    if media_type == CSV:
        rates, findings = contract_rates.read_csv(text)
    else:
        try:
            document = json.loads(text)
        except ValueError as exc:
            raise _invalid([issue("contract.json.syntax", "$",
                                  f"The body is not JSON: {exc}")]) from exc
        rates, findings = contract_rates.read_json(document)
    if findings:
        raise _invalid(findings)
    return rates


class ContractService:
    def __init__(self, session: AsyncSession, principal: Principal, payers: PayerService) -> None:
        self.session = session
        self.principal = principal
        self.payers = payers
        self.repository = ContractRepository(session, principal.tenant_id)

    async def replace(self, payer_id: str, media_type: str,
                      body: bytes) -> list[PayerContractRate]:
        """The contract with `payer_id` replaced by the body's rates; 404 for a payer the
        adapter does not know (once the body is found sound)."""
        rates = read_rates(media_type, body)
        await self.payers.get(payer_id)
        try:
            async with self.session.begin_nested():
                await self.repository.replace(payer_id, rates, loaded_by=self.principal.key_id,
                                              loaded_at=utcnow())
        except IntegrityError:
            # Another upload for the payer committed between the delete and the insert.
            raise conflict(f"The contract with {payer_id} was loaded by another request at "
                           "the same time; send it again.") from None
        return await self.repository.rows(payer_id)

    async def get(self, payer_id: str) -> list[PayerContractRate]:
        await self.payers.get(payer_id)
        rows = await self.repository.rows(payer_id)
        if not rows:
            raise ProblemError(404, "Not Found", f"No contract with {payer_id} is loaded.",
                               type_="not-found")
        return rows

    async def remove(self, payer_id: str) -> None:
        await self.payers.get(payer_id)
        if not await self.repository.remove(payer_id):
            raise not_found(f"contract with {payer_id}")


class ContractComparison:
    """Compares each remittance posted to `tenant_id`'s claims with the tenant's contract
    with the claim's payer, as it stands when the remittance is posted: a later contract
    does not change what was found."""

    def __init__(self, session: AsyncSession, tenant_id: str) -> None:
        self.repository = ContractRepository(session, tenant_id)

    async def compare(self, claim: Claim, remittance: Remittance,
                      posting: RemittancePosting) -> None:
        """Sets each of `posting`'s lines' expected and underpaid amounts, and adds what they
        were underpaid to the claim's."""
        found: dict[int, Comparison] = {}
        if remittance.status == "reversed":
            # A reversal takes back what the payment it reverses was found underpaid.
            taken_back = await self.repository.payment_reversed(
                claim.id, remittance.payer_claim_control_number)
            for line in taken_back.lines if taken_back is not None else []:
                if line.expected is not None and line.underpaid is not None:
                    found[line.line_number] = Comparison(line.expected,
                                                         line.underpaid).negated()
        else:
            rates = await self.repository.rates(claim.payer_id)
            billed = {line.line_number: line for line in claim.lines}
            for paid in remittance.lines if rates else ():
                claim_line = billed[paid.line_number]
                rate = contract_rate(rates, claim_line.procedure_code, claim_line.modifiers)
                comparison = compare(paid, rate, claim_line.units)
                if comparison is not None:
                    found[paid.line_number] = comparison
        for posted in posting.lines:
            comparison = found.get(posted.line_number)
            if comparison is not None:
                posted.expected, posted.underpaid = comparison.expected, comparison.underpaid
        claim.underpaid_amount = to_money(
            claim.underpaid_amount + sum((c.underpaid for c in found.values()), ZERO))
