"""POST /v1/validate and /v1/validate/batch: thin, the work is in service.py. Nothing is
stored, so no database session is opened unless NCCI edits must be read.

The service builds the response bodies itself, from plain values, and they are sent as they
are: validating them again against the response model (what FastAPI does with a returned
model) would cost more than the rule engine. The response models still document them."""

from __future__ import annotations

from fastapi import APIRouter, Request

from coding_service.dependencies import Reader
from coding_service.validate import schemas
from coding_service.validate.examples import VALIDATE, VALIDATE_BATCH
from coding_service.validate.service import ValidateService
from rcm_shared.direct_route import DirectRoute
from rcm_shared.jsonutil import FastJSONResponse
from rcm_shared.openapi import examples

router = APIRouter(prefix="/v1", tags=["validation"])


def _service(request: Request) -> ValidateService:
    # Built here rather than by a dependency: a dependency level costs more than this
    # endpoint's whole rule engine.
    return ValidateService(request.app.state.validator)


async def validate(body: schemas.ValidateRequest, request: Request,
                   _: Reader) -> FastJSONResponse:
    """Runs every validation rule on the encounter's facts and codes as given (billable codes, 7th
    characters, Excludes1, age and sex, NCCI, MUE, diagnosis pointers, NPIs) and answers the
    issues found, each with its rule, severity and field. Nothing is stored; an encounter with
    errors still answers 200."""
    return FastJSONResponse(await _service(request).validate(body))


# Answered by DirectRoute: the key checked and the raw body validated by pydantic-core, without
# FastAPI's body decoding and dependency solving, which cost more than the rule engine. FastAPI
# still documents the operation from the signature above, as it would any route.
router.add_api_route("/validate", validate, methods=["POST"], route_class_override=DirectRoute,
                     response_model=schemas.ValidationResult,
                     summary="Validate an encounter's codes without storing anything",
                     openapi_extra=examples(*VALIDATE))


@router.post(
    "/validate/batch", response_model=schemas.BatchResult,
    summary=f"Validate up to {schemas.MAX_BATCH} encounters in one request",
    description="Each item is the body of POST /v1/validate with an optional client `id`; "
    "the results come back in request order. The items are checked in one pass (one NCCI "
    f"lookup for all of them). More than {schemas.MAX_BATCH} items, none, or two items with "
    "one id answer 422.",
    openapi_extra=examples(*VALIDATE_BATCH),
)
async def validate_batch(body: schemas.BatchRequest, request: Request,
                         _: Reader) -> FastJSONResponse:
    return FastJSONResponse(await _service(request).validate_batch(body))
