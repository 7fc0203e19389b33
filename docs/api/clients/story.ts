// The README's walk-through driven by the TypeScript client generated from both services'
// OpenAPI documents (openapi-typescript types, openapi-fetch calls), compiled with tsc --strict.
// It prints what the story ends with as one JSON line; any step answered otherwise throws.
import createClient from "openapi-fetch";
import type { paths as BillingPaths } from "../build/typescript/billing.js";
import type { paths as CodingPaths } from "../build/typescript/coding.js";

function setting(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === "") {
    throw new Error(`${name} is not set`);
  }
  return value;
}

// Each call answers either data (a documented success) or error (a documented problem).
function expect<T>(step: string, result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data === undefined) {
    throw new Error(`${step} answered ${result.response.status}: ${JSON.stringify(result.error)}`);
  }
  return result.data;
}

const headers = { Authorization: `Bearer ${setting("API_KEY")}` };
const coding = createClient<CodingPaths>({ baseUrl: setting("CODING_URL"), headers });
const billing = createClient<BillingPaths>({ baseUrl: setting("BILLING_URL"), headers });
const patientId = setting("PATIENT_ID");
const memberId = setting("MEMBER_ID");
const dateOfService = setting("DATE_OF_SERVICE");
const ada = { first_name: "Ada", last_name: "Lovelace", birth_date: "1980-02-14", sex: "F" } as const;
// The 837P names the patient's address (the subscriber's too: the coverage is the patient's own).
const address = { line1: "12 St James Square", city: "Springfield", state: "IL", postal_code: "62704" };

// 1. The EHR records an encounter.
const created = expect("createEncounter", await coding.POST("/v1/encounters", {
  body: {
    external_id: `ehr-visit-${patientId}`,
    patient: { id: patientId, ...ada, address },
    date_of_service: dateOfService,
    place_of_service: "11",
    rendering_provider_npi: "1234567893",
    billing_provider_npi: "1234567893",
  },
}));
const encounterId = created.id;

// 2. The coder looks codes up and assigns them, If-Match carrying the version read.
const search = expect("searchIcd10cm", await coding.GET("/v1/codes/icd10cm", {
  params: { query: { q: "type 2 diabetes", limit: 5 } },
}));
const coded = expect("putCodes", await coding.PUT("/v1/encounters/{encounter_id}/codes", {
  params: { path: { encounter_id: encounterId }, header: { "If-Match": String(created.version) } },
  body: {
    diagnoses: [{ code: "E11.9" }, { code: "I10" }],
    service_lines: [
      { procedure_code: "99214", modifiers: ["25"], units: 1, charge: "180.00",
        diagnosis_pointers: [1, 2] },
      { procedure_code: "20610", modifiers: ["RT"], units: 1, charge: "240.00",
        diagnosis_pointers: [2] },
    ],
  },
}));

// 3. Finalize, and the feed says so.
const finalized = expect("finalize", await coding.POST("/v1/encounters/{encounter_id}/finalize", {
  params: { path: { encounter_id: encounterId } },
}));
const feed = expect("events", await coding.GET("/v1/events", { params: { query: { limit: 100 } } }));

// 4. The biller reads the provider and payers, records the coverage and makes the claim.
const provider = expect("getProvider", await billing.GET("/v1/providers/{npi}", {
  params: { path: { npi: "1234567893" } },
}));
const payers = expect("listPayers", await billing.GET("/v1/payers"));
expect("createCoverage", await billing.POST("/v1/coverages", {
  body: {
    patient_id: patientId, payer_id: "MOCK-PPO", member_id: memberId, group_number: "G-100",
    relationship: "self", subscriber: ada, effective_from: `${dateOfService.slice(0, 4)}-01-01`,
    effective_to: null,
  },
}));
const claim = expect("createClaim", await billing.POST("/v1/claims", {
  body: { encounter_id: encounterId },
}));

// 5. Submit it and let the payer answer.
const submitted = expect("submitClaim", await billing.POST("/v1/claims/{claim_id}/submit", {
  params: { path: { claim_id: claim.id } },
}));
const processed = expect("process", await billing.POST("/v1/admin/process"));
const adjudicated = expect("getClaim", await billing.GET("/v1/claims/{claim_id}", {
  params: { path: { claim_id: claim.id } },
}));
const remittance = expect("claimRemittance", await billing.GET("/v1/claims/{claim_id}/remittance", {
  params: { path: { claim_id: claim.id } },
}));
const events = expect("claimEvents", await billing.GET("/v1/claims/{claim_id}/events", {
  params: { path: { claim_id: claim.id } },
}));
const statement = expect("patientStatement", await billing.GET("/v1/patients/{patient_id}/statement", {
  params: { path: { patient_id: patientId } },
}));
const worklist = expect("worklist", await billing.GET("/v1/worklist"));

console.log(JSON.stringify({
  first_search_code: search.items[0]?.code ?? null,
  coded_version: coded.version,
  coded_errors: coded.issues.filter((issue) => issue.severity === "error").length,
  finalized_status: finalized.status,
  finalized_coding_version: finalized.coding_version,
  feed_finalized: feed.items.some(
    (event) => event.type === "encounter.finalized" && event.encounter_id === encounterId),
  provider_tax_id: provider.tax_id ?? null,
  payer_ids: payers.items.map((payer) => payer.payer_id),
  claim_status: claim.status,
  claim_total_charge: claim.total_charge,
  submitted_status: submitted.status,
  pending_jobs: processed.pending_jobs,
  adjudicated_status: adjudicated.status,
  paid_amount: adjudicated.paid_amount,
  remittance_totals: remittance.totals,
  claim_actions: events.items.map((event) => event.action),
  you_owe: statement.totals.you_owe,
  worklist_claim_ids: worklist.items.map((item) => item.claim_id),
}));
