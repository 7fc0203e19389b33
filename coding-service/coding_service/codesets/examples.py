"""The documented examples of the code-set lookups (rcm_shared.openapi.Example), each sent by
tests/contract/test_examples.py, which checks the answer's status."""

from __future__ import annotations

from rcm_shared.openapi import Example

LIST_CODE_SETS = (
    Example("loaded", "The code sets this service validates against", 200, None,
            {"items": [{"name": "icd10cm", "version": "2025-04", "effective_from": "2025-04-01",
                        "effective_to": "2025-09-30", "codes": 97584, "billable_codes": 74260,
                        "source": "simple-icd-10-cm 1.4.0: icd10cm-tabular-April-2025.xml.gz"},
                       {"name": "icd10cm", "version": "2026-04", "effective_from": "2026-04-01",
                        "effective_to": "2026-09-30", "codes": 98186, "billable_codes": 74719,
                        "source": "simple-icd-10-cm 1.5.0: icd10c-tabular-April-1-2026.xml"},
                       {"name": "procedures", "version": "2026 sample", "effective_from": None,
                        "effective_to": None, "codes": 423, "billable_codes": None,
                        "source": "AMA CPT code numbers (descriptions our own), CMS HCPCS "
                                  "Level II, CMS PFS Relative Value File (global days)"},
                       {"name": "modifiers", "version": "2026", "effective_from": None,
                        "effective_to": None, "codes": 102, "billable_codes": None,
                        "source": "AMA CPT Appendix A and CMS HCPCS Level II modifiers; CMS "
                                  "NCCI Policy Manual, Chapter I"},
                       {"name": "places_of_service", "version": "2025 (POS 66 added 2024)",
                        "effective_from": None, "effective_to": None, "codes": 52,
                        "billable_codes": None,
                        "source": "CMS Place of Service Code Set (Medicare Claims Processing "
                                  "Manual, Chapter 26, 10.5)"},
                       {"name": "demographic_edits", "version": "2026", "effective_from": None,
                        "effective_to": None, "codes": 30, "billable_codes": None,
                        "source": "CMS Medicare Code Editor (MCE) definitions; ICD-10-CM "
                                  "Official Guidelines for Coding and Reporting FY2026"}]}),
)

SEARCH_ICD10CM = (
    Example("words", "Codes for type 2 diabetes, best first", 200, None,
            {"edition": "2026-04",
             "items": [{"code": "E11", "title": "Type 2 diabetes mellitus", "billable": False,
                        "chapter": 4, "block": "E08-E13", "manifestation": False},
                       {"code": "E11.3",
                        "title": "Type 2 diabetes mellitus with ophthalmic complications",
                        "billable": False, "chapter": 4, "block": "E08-E13",
                        "manifestation": False},
                       {"code": "E11.0", "title": "Type 2 diabetes mellitus with hyperosmolarity",
                        "billable": False, "chapter": 4, "block": "E08-E13",
                        "manifestation": False}],
             "next_cursor": "WyJ0eXBlIDIgZGlhYmV0ZXMiLDNd.56BMPywr2BY3"},
            parameters={"q": "type 2 diabetes", "limit": 3, "date_of_service": "2026-05-04"}),
)

GET_ICD10CM_CODE = (
    Example("billable", "A billable code", 200, None,
            {"code": "E11.9", "title": "Type 2 diabetes mellitus without complications",
             "billable": True, "chapter": 4, "block": "E08-E13", "manifestation": False,
             "edition": "2026-04", "valid_from": None, "valid_on_date_of_service": True,
             "excludes1": [{"source": "E11",
                            "note": "diabetes mellitus due to underlying condition (E08.-)",
                            "references": ["E08"]},
                           {"source": "E11",
                            "note": "drug or chemical induced diabetes mellitus (E09.-)",
                            "references": ["E09"]},
                           {"source": "E11", "note": "gestational diabetes (O24.4-)",
                            "references": ["O24.4"]},
                           {"source": "E11", "note": "neonatal diabetes mellitus (P70.2)",
                            "references": ["P70.2"]},
                           {"source": "E11", "note": "postpancreatectomy diabetes mellitus (E13.-)",
                            "references": ["E13"]},
                           {"source": "E11", "note": "postprocedural diabetes mellitus (E13.-)",
                            "references": ["E13"]},
                           {"source": "E11", "note": "secondary diabetes mellitus NEC (E13.-)",
                            "references": ["E13"]},
                           {"source": "E11", "note": "type 1 diabetes mellitus (E10.-)",
                            "references": ["E10"]},
                           {"source": "E11.9",
                            "note": "type 2 diabetes mellitus, without complications in "
                                    "remission (E11.A)",
                            "references": ["E11.A"]},
                           {"source": "chapter 4",
                            "note": "transitory endocrine and metabolic disorders specific to "
                                    "newborn (P70-P74)",
                            "references": ["P70-P74"]}],
             "seventh_characters": None, "billable_children": [], "billable_children_total": 0},
            parameters={"code": "E11.9", "date_of_service": "2026-05-04"}),
    Example("header", "A category: its billable children are listed", 200, None,
            {"code": "I10", "title": "Essential (primary) hypertension", "billable": True,
             "chapter": 9, "block": "I10-I1A", "manifestation": False, "edition": "2026-04",
             "valid_from": None, "valid_on_date_of_service": True,
             "excludes1": [{"source": "I10",
                            "note": "hypertensive disease complicating pregnancy, childbirth "
                                    "and the puerperium (O10-O11, O13-O16)",
                            "references": ["O10-O11", "O13-O16"]},
                           {"source": "I10-I1A", "note": "neonatal hypertension (P29.2)",
                            "references": ["P29.2"]},
                           {"source": "I10-I1A", "note": "primary pulmonary hypertension (I27.0)",
                            "references": ["I27.0"]}],
             "seventh_characters": None, "billable_children": [], "billable_children_total": 0},
            parameters={"code": "I10", "date_of_service": "2026-05-04"}),
    Example("unknown", "A code the edition does not have", 404, None,
            {"type": "https://rcm.dev/problems/not-found", "title": "Not Found", "status": 404,
             "detail": "E11.99 is not an ICD-10-CM code in the 2026-04 edition.",
             "instance": "/v1/codes/icd10cm/E11.99"},
            parameters={"code": "E11.99", "date_of_service": "2026-05-04"}),
)

GET_PROCEDURE_CODE = (
    Example("visit", "An office visit", 200, None,
            {"code": "99214",
             "description": "Office or outpatient visit, established patient, moderate medical "
                            "decision making",
             "code_system": "CPT", "is_evaluation_management": True, "sex": None},
            parameters={"code": "99214"}),
    Example("unknown", "A code the procedure table lacks", 404, None,
            {"type": "https://rcm.dev/problems/not-found", "title": "Not Found", "status": 404,
             "detail": "99999 is well formed but not in the procedure table this service ships, "
                       "which is a sample of common CPT and HCPCS codes: the full CPT table is "
                       "licensed by the AMA and loaded by the user.",
             "instance": "/v1/codes/procedures/99999"},
            parameters={"code": "99999"}),
)
