"""/v1/coverages: a patient's insurance, fixed in place (PATCH) when a payer rejects it."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Response, status

from billing_service.coverages.examples import (
    CREATE_COVERAGE,
    GET_COVERAGE,
    LIST_COVERAGES,
    UPDATE_COVERAGE,
)
from billing_service.coverages.schemas import CoverageCreate, CoverageOut, CoveragePatch
from billing_service.dependencies import CoverageReader, CoverageWriter, Idempotent, audit_trail
from rcm_shared.audit import AuditRecord
from rcm_shared.dates import IsoDate
from rcm_shared.http import IfMatchRequired, etag
from rcm_shared.ids import PatientId, ResourceId
from rcm_shared.openapi import examples
from rcm_shared.pagination import DEFAULT_LIMIT, CursorParam, LimitParam, Page
from rcm_shared.routing import api_router

router = api_router("/v1/coverages", "coverages")
Audit = Annotated[AuditRecord, Depends(audit_trail.recorder("coverage"))]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=CoverageOut,
             summary="Record a patient's coverage", openapi_extra=examples(*CREATE_COVERAGE))
async def create_coverage(body: CoverageCreate, coverages: CoverageWriter, response: Response,
                          idempotency: Idempotent, audit: Audit) -> CoverageOut:
    """Records a patient's insurance: the payer and plan, the member id, the subscriber and the
    dates it is in force. Answers 201 with the coverage, its ETag and Location. A claim is billed
    to the coverage in force on its date of service."""
    coverage = await coverages.create(body)
    audit("create", coverage.id)
    response.headers["ETag"] = etag(coverage.version)
    response.headers["Location"] = f"/v1/coverages/{coverage.id}"
    return CoverageOut.of(coverage)


@router.get("", response_model=Page[CoverageOut], summary="List coverages",
            openapi_extra=examples(*LIST_COVERAGES))
async def list_coverages(
    coverages: CoverageReader,
    audit: Audit,
    patient_id: Annotated[PatientId | None, Query()] = None,
    active_on: Annotated[IsoDate | None,
                         Query(description="Only coverages in force that day")] = None,
    limit: LimitParam = DEFAULT_LIMIT,
    cursor: CursorParam = None,
) -> Page[CoverageOut]:
    """The caller's tenant's coverages, filtered by patient or the date they are in
    force; paged with `limit` and `cursor`."""
    audit("list")
    listed = await coverages.list_page(patient_id=patient_id, active_on=active_on,
                                       limit=limit, cursor=cursor)
    checks = await coverages.last_checks(listed.rows)
    return listed.page(lambda coverage: CoverageOut.of(coverage, checks.get(coverage.id)))


@router.get("/{coverage_id}", response_model=CoverageOut, summary="One coverage",
            openapi_extra=examples(*GET_COVERAGE))
async def get_coverage(coverage_id: ResourceId, coverages: CoverageReader, audit: Audit,
                       response: Response) -> CoverageOut:
    """One coverage with its version; its ETag is the version to send back as If-Match."""
    audit("read", coverage_id)
    coverage = await coverages.get(coverage_id)
    response.headers["ETag"] = etag(coverage.version)
    checks = await coverages.last_checks([coverage])
    return CoverageOut.of(coverage, checks.get(coverage.id))


@router.patch("/{coverage_id}", response_model=CoverageOut,
              summary="Fix a coverage (If-Match with its version)",
              openapi_extra=examples(*UPDATE_COVERAGE))
async def update_coverage(
    coverage_id: ResourceId,
    body: CoveragePatch,
    coverages: CoverageWriter,
    response: Response,
    expected_version: IfMatchRequired,
    idempotency: Idempotent,
    audit: Audit,
) -> CoverageOut:
    """Changes the fields given (a corrected member id, an end date) and answers the coverage. If-
    Match with its version is required (428 without it, 412 when it moved on)."""
    audit("update", coverage_id)
    coverage = await coverages.update(coverage_id, body, expected_version)
    response.headers["ETag"] = etag(coverage.version)
    checks = await coverages.last_checks([coverage])
    return CoverageOut.of(coverage, checks.get(coverage.id))
