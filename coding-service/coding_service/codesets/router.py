"""Code-set endpoints: thin, the lookups live in service.py."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from coding_service.codesets import schemas
from coding_service.codesets.examples import (
    GET_ICD10CM_CODE,
    GET_PROCEDURE_CODE,
    LIST_CODE_SETS,
    SEARCH_ICD10CM,
)
from coding_service.codesets.service import CodeSetService
from coding_service.codesets.types import CodeSets
from coding_service.dependencies import Reader
from rcm_shared.dates import IsoDate
from rcm_shared.jsonutil import FastJSONResponse
from rcm_shared.openapi import examples
from rcm_shared.pagination import CursorParam
from rcm_shared.schemas import TEXT_PATTERN

router = APIRouter(prefix="/v1", tags=["code sets"])

IcdCodeParam = Annotated[str, Path(
    pattern=r"^[A-Za-z][0-9A-Za-z]{2}(\.?[0-9A-Za-z]{1,4})?$",
    description="An ICD-10-CM code, dotted or not: E11.9, e119, S72.001A",
)]
ProcedureCodeParam = Annotated[str, Path(
    pattern=r"^([0-9]{5}|[0-9]{4}[FTUftu]|[A-Va-v][0-9]{4})$",
    description="CPT (99213, 0001F, 0042T, 0001U) or HCPCS Level II (G0438)",
)]
DateOfServiceParam = Annotated[IsoDate | None, Query(
    description="Picks the ICD-10-CM edition in force that day (default: today)",
)]


def _service(request: Request) -> CodeSetService:
    # Built here rather than by a dependency: FastAPI spends more on a dependency level than
    # a search takes.
    code_sets: CodeSets = request.app.state.code_sets
    return CodeSetService(code_sets)


@router.get("/code-sets", response_model=schemas.CodeSetList,
            summary="The code sets loaded: editions, effective dates, counts and sources",
            openapi_extra=examples(*LIST_CODE_SETS))
async def list_code_sets(request: Request, _: Reader) -> schemas.CodeSetList:
    """Each code set the service validates against: ICD-10-CM editions with their effective dates,
    the procedure table and the NCCI edits loaded, with counts and sources."""
    return schemas.CodeSetList(items=_service(request).summaries())


@router.get("/codes/icd10cm", response_model=schemas.IcdSearchResult,
            summary="Search ICD-10-CM by code prefix or title words, best first",
            openapi_extra=examples(*SEARCH_ICD10CM))
async def search_icd10cm(
    request: Request,
    _: Reader,
    q: Annotated[str, Query(min_length=1, max_length=100, pattern=TEXT_PATTERN,
                            description="Code prefix or words")],
    limit: Annotated[int, Query(ge=1, le=100, description="Matches per page")] = 20,
    date_of_service: DateOfServiceParam = None,
    cursor: CursorParam = None,
) -> FastJSONResponse:
    """ICD-10-CM codes whose code starts with the query or whose title has its words, best match
    first, in the edition in force on `date_of_service` (today by default). Each result says
    whether it is billable."""
    # Sent as built: validating the body again against the response model would cost about
    # as much as the search.
    return FastJSONResponse(_service(request).icd_search(q, limit, date_of_service, cursor))


@router.get("/codes/icd10cm/{code}", response_model=schemas.IcdCodeDetail,
            summary="One ICD-10-CM code; a header code lists its billable children",
            openapi_extra=examples(*GET_ICD10CM_CODE))
async def get_icd10cm_code(code: IcdCodeParam, request: Request, _: Reader,
                           date_of_service: DateOfServiceParam = None) -> schemas.IcdCodeDetail:
    """The code's title, whether it is billable, its 7th characters, Excludes1 notes, and the age
    and sex it applies to; a header (non-billable) code lists its billable children. 404 when the
    edition has no such code."""
    return _service(request).icd_code(code, date_of_service)


@router.get("/codes/procedures/{code}", response_model=schemas.ProcedureCodeOut,
            summary="One CPT or HCPCS Level II code from the shipped procedure table",
            openapi_extra=examples(*GET_PROCEDURE_CODE))
async def get_procedure_code(code: ProcedureCodeParam, request: Request,
                             _: Reader) -> schemas.ProcedureCodeOut:
    """The CPT or HCPCS Level II code's description and whether it is an add-on, from the procedure
    table the service ships. 404 for a code the table lacks."""
    return _service(request).procedure_code(code)
