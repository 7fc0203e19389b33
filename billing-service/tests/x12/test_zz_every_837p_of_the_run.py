"""Every 837P billing wrote in this test run (each submission and export it keeps in
x12_interchanges, from every test before this module) passes pyx12 with no finding and
billing's own checks. Named to run after the other billing modules that bill claims."""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy import select

from billing_service.models.x12 import X12Interchange
from billing_service.x12.validation import findings


async def test_every_837p_written_in_the_run_passes_pyx12(app: FastAPI, billing) -> None:
    # At least one of this module's own, so the check never passes on nothing.
    claim = await billing.covered_claim()
    assert (await billing.http.get(f"/v1/claims/{claim['id']}/x12")).status_code == 200
    async with app.state.sessionmaker() as session:
        texts = list(await session.scalars(select(X12Interchange.content)))
    claims = [text for text in texts if "ST*837*" in text]
    assert claims
    failing = {text[:106]: found for text in claims if (found := findings(text))}
    assert failing == {}, f"{len(failing)} of {len(claims)} 837P interchanges"
