"""Each webhook test starts with no subscriptions, so a delivery round sends only its own."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from sqlalchemy import delete

from coding_service.models import WebhookSubscription


@pytest.fixture(autouse=True)
async def no_subscriptions(app: FastAPI) -> None:
    async with app.state.sessionmaker() as session, session.begin():
        # Deliveries go with their subscription (ON DELETE CASCADE).
        await session.execute(delete(WebhookSubscription))
