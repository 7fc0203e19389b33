from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from coding_service.dependencies import Feed
from coding_service.feed.examples import EVENTS
from coding_service.feed.schemas import FeedPage
from rcm_shared.ids import Cursor
from rcm_shared.issues import issue
from rcm_shared.openapi import examples
from rcm_shared.pagination import DEFAULT_LIMIT, CursorParam, LimitParam
from rcm_shared.problems import ProblemError

router = APIRouter(prefix="/v1", tags=["feed"])


@router.get("/events", response_model=FeedPage,
            summary="Ordered, replayable feed of encounter.finalized / encounter.reopened",
            description="Oldest first. Pass `next_cursor` back as `?cursor=` to read on; it "
            "stays the cursor passed when nothing new arrived, so a consumer polls with it. "
            "`?after=` is the former name of `cursor` and is still accepted.",
            openapi_extra=examples(*EVENTS))
async def events(
    feed: Feed,
    cursor: CursorParam = None,
    after: Annotated[
        Cursor | None, Query(deprecated=True, description="The former name of `cursor`")
    ] = None,
    limit: LimitParam = DEFAULT_LIMIT,
) -> FeedPage:
    if cursor and after and cursor != after:
        raise ProblemError(
            400, "Two cursors", "Pass the feed cursor once, as `cursor`.", type_="bad-cursor",
            issues=[issue("pagination.after_alias", "query:after",
                          "`after` is the former name of `cursor`: pass one of them.")],
        )
    return await feed.read(cursor or after, limit)
