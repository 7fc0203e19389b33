"""Test support for the payer worker: its state built by hand (another adapter, another
engine: another replica), and adapters that record or break what passes through them."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.datastructures import State

from billing_service.payers.adapter import ResponseFile, SubmissionReceipt

_SUBMISSION_ID = re.compile(r"REF\*D9\*([^~*\r\n]+)")


def submission_ids(interchange: str) -> list[str]:
    """The submission ids (REF*D9) of the claims in an 837P."""
    return _SUBMISSION_ID.findall(interchange)


def worker_state(
    app: FastAPI,
    adapter: Any,
    sessionmaker: async_sessionmaker[AsyncSession] | None = None,
) -> State:
    """What the payer loop reads from app.state, with another adapter (and engine)."""
    return State({"sessionmaker": sessionmaker or app.state.sessionmaker,
                  "settings": app.state.settings, "payer_adapter": adapter})


class WorkerKilled(BaseException):  # noqa: N818 - stands for the process dying, not an error
    """Raised where the worker process would die: nothing in the worker catches it."""


class RecordingPayer:
    """A payer adapter passing every call through and recording each interchange handed to
    the payer, whatever the payer then answered, and each file it sent back.
    With `die_after_sending` set, the worker dies right after the payer took that
    submission, before the worker could record that it was sent; with `die_after_fetching`,
    right after the payer handed over its files, before the worker could keep them."""

    def __init__(self, real: Any, *, die_after_sending: str | None = None,
                 die_after_fetching: bool = False) -> None:
        self.real = real
        self.die_after_sending = die_after_sending
        self.die_after_fetching = die_after_fetching
        self.sent: list[str] = []
        self.received: list[str] = []

    async def submit(self, interchange: str) -> SubmissionReceipt:
        self.sent.append(interchange)
        receipt: SubmissionReceipt = await self.real.submit(interchange)
        if self.die_after_sending in submission_ids(interchange):
            raise WorkerKilled
        return receipt

    async def fetch_responses(self) -> list[ResponseFile]:
        files: list[ResponseFile] = await self.real.fetch_responses()
        self.received += [file.content for file in files]
        if self.die_after_fetching and files:
            raise WorkerKilled
        return files

    async def acknowledge(self, file_ids: Sequence[str]) -> None:
        await self.real.acknowledge(file_ids)

    async def payers(self) -> list[Any]:
        return await self.real.payers()

    def sends_per_submission(self) -> Counter[str]:
        return Counter(sid for text in self.sent for sid in submission_ids(text))
