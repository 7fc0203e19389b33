from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlalchemy.ext.asyncio import AsyncSession

from coding_service.feed.schemas import FeedPage
from coding_service.feed.service import read_feed
from rcm_shared.auth import Principal, require_scope
from rcm_shared.db import get_session
from rcm_shared.pagination import DEFAULT_LIMIT, LimitParam

router = APIRouter(prefix="/v1", tags=["feed"])


@router.get("/events", response_model=FeedPage,
            summary="Ordered, replayable feed of encounter.finalized / encounter.reopened")
async def events(
    session: Annotated[AsyncSession, Depends(get_session, scope="function")],
    principal: Annotated[Principal, Depends(require_scope("coding:read"))],
    after: Annotated[
        str | None, Query(max_length=512, description="a cursor from the feed")
    ] = None,
    limit: LimitParam = DEFAULT_LIMIT,
) -> FeedPage:
    return await read_feed(session, principal.tenant_id, after, limit)
