from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from coding_service.dependencies import Feed
from coding_service.feed.schemas import FeedPage
from rcm_shared.ids import Cursor
from rcm_shared.pagination import DEFAULT_LIMIT, LimitParam

router = APIRouter(prefix="/v1", tags=["feed"])


@router.get("/events", response_model=FeedPage,
            summary="Ordered, replayable feed of encounter.finalized / encounter.reopened")
async def events(
    feed: Feed,
    after: Annotated[Cursor | None, Query(description="a cursor from the feed")] = None,
    limit: LimitParam = DEFAULT_LIMIT,
) -> FeedPage:
    return await feed.read(after, limit)
