/**
 * zod schemas of RAW openFDA device records, one per endpoint, plus the response envelope.
 *
 * openFDA is loose (docs/openfda-reference §7): scalars are strings (numbers and booleans too), empty values
 * come as `""`, `"N/A"`, missing keys, `[]` or `{}`, key order varies. These schemas therefore never reject a
 * record for a missing or odd field: every scalar becomes `string | undefined` (placeholders dropped), every
 * list becomes an array (bad elements dropped), every sub-object is parsed from `{}` when absent. Unknown keys
 * are kept (`looseObject`). Only a record that is not an object fails. Natural-key checks are the mappers' job.
 */
import { z } from 'zod';
import { cleanString, cleanStringList, parseIntLoose } from '../normalize.js';

/** A scalar: trimmed string, or undefined for `""`, `"N/A"`, null, missing, objects. Numbers become strings. */
export const str = () => z.unknown().optional().transform((v) => cleanString(v));

/** A list of scalars (`["a",""]` → `["a"]`, `"a"` → `["a"]`, missing/`{}` → `[]`). */
export const strList = () => z.unknown().optional().transform((v) => cleanStringList(v));

/** A list of objects: non-arrays become `[]`, elements that do not parse are dropped. */
export function objList<S extends z.ZodType>(element: S) {
  return z
    .unknown()
    .optional()
    .transform((v): z.output<S>[] => {
      if (!Array.isArray(v)) return [];
      const out: z.output<S>[] = [];
      for (const e of v) {
        const r = element.safeParse(e);
        if (r.success) out.push(r.data);
      }
      return out;
    });
}

/** A sub-object: missing, `null`, arrays and scalars are read as `{}`. */
export function obj<S extends z.ZodType>(schema: S) {
  return z
    .unknown()
    .optional()
    .transform((v): z.output<S> => {
      const input = v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {};
      const r = schema.safeParse(input);
      return r.success ? r.data : (schema.parse({}) as z.output<S>);
    });
}

/** The harmonised `openfda` block (by product code — never attribute a firm with it, §8). */
export const OpenFdaBlockSchema = z.looseObject({
  device_name: str(),
  device_class: str(),
  medical_specialty_description: str(),
  /** Typed as array in the yaml but a single string in real records; both accepted, first kept. */
  regulation_number: z.unknown().optional().transform((v) => cleanStringList(v)[0]),
  k_number: strList(),
  registration_number: strList(),
  fei_number: strList(),
  pma_number: strList(),
});

// ---------------------------------------------------------------------------------------------- /device/udi

export const UdiIdentifierSchema = z.looseObject({
  id: str(),
  type: str(),
  issuing_agency: str(),
  /** On Package rows: the DI of the next-lower package level contained in this one (GUDID containsDINumber). */
  unit_of_use_id: str(),
  quantity_per_package: str(),
  package_discontinue_date: str(),
  package_status: str(),
  package_type: str(),
});

export const UdiProductCodeSchema = z.looseObject({
  code: str(),
  name: str(),
  openfda: obj(OpenFdaBlockSchema),
});

export const UdiPremarketSubmissionSchema = z.looseObject({
  submission_number: str(),
  supplement_number: str(),
  submission_type: str(),
});

export const UdiRecordSchema = z.looseObject({
  public_device_record_key: str(),
  public_version_status: str(),
  public_version_number: str(),
  public_version_date: str(),
  record_status: str(),
  publish_date: str(),
  commercial_distribution_status: str(),
  commercial_distribution_end_date: str(),
  labeler_duns_number: str(),
  company_name: str(),
  brand_name: str(),
  version_or_model_number: str(),
  catalog_number: str(),
  device_description: str(),
  device_count_in_base_package: str(),
  identifiers: objList(UdiIdentifierSchema),
  product_codes: objList(UdiProductCodeSchema),
  premarket_submissions: objList(UdiPremarketSubmissionSchema),
  is_rx: str(),
  is_otc: str(),
  is_kit: str(),
  is_combination_product: str(),
  is_single_use: str(),
  is_hct_p: str(),
  is_pm_exempt: str(),
  is_direct_marking_exempt: str(),
  is_labeled_as_nrl: str(),
  is_labeled_as_no_nrl: str(),
  has_lot_or_batch_number: str(),
  has_serial_number: str(),
  has_manufacturing_date: str(),
  has_expiration_date: str(),
  has_donation_id_number: str(),
  mri_safety: str(),
});
export type UdiRecord = z.output<typeof UdiRecordSchema>;
export type UdiRecordInput = z.input<typeof UdiRecordSchema>;

// ------------------------------------------------------------------------------------------- /device/recall

export const RecallRecordSchema = z.looseObject({
  cfres_id: str(),
  product_res_number: str(),
  res_event_number: str(),
  event_date_initiated: str(),
  event_date_created: str(),
  event_date_posted: str(),
  event_date_terminated: str(),
  recall_status: str(),
  recalling_firm: str(),
  firm_fei_number: str(),
  city: str(),
  state: str(),
  country: str(),
  product_code: str(),
  product_description: str(),
  code_info: str(),
  reason_for_recall: str(),
  action: str(),
  product_quantity: str(),
  distribution_pattern: str(),
  root_cause_description: str(),
  k_numbers: strList(),
  pma_numbers: strList(),
  other_submission_description: str(),
  openfda: obj(OpenFdaBlockSchema),
});
export type RecallRecord = z.output<typeof RecallRecordSchema>;

// -------------------------------------------------------------------------------------- /device/enforcement

export const EnforcementRecordSchema = z.looseObject({
  recall_number: str(),
  event_id: str(),
  classification: str(),
  status: str(),
  product_type: str(),
  recalling_firm: str(),
  city: str(),
  state: str(),
  country: str(),
  voluntary_mandated: str(),
  initial_firm_notification: str(),
  distribution_pattern: str(),
  product_description: str(),
  product_quantity: str(),
  reason_for_recall: str(),
  code_info: str(),
  more_code_info: str(),
  recall_initiation_date: str(),
  center_classification_date: str(),
  report_date: str(),
  termination_date: str(),
});
export type EnforcementRecord = z.output<typeof EnforcementRecordSchema>;

// --------------------------------------------------------------------------------------------- /device/510k

export const ClearanceRecordSchema = z.looseObject({
  k_number: str(),
  applicant: str(),
  contact: str(),
  device_name: str(),
  decision_code: str(),
  decision_description: str(),
  decision_date: str(),
  date_received: str(),
  clearance_type: str(),
  statement_or_summary: str(),
  product_code: str(),
  advisory_committee: str(),
  advisory_committee_description: str(),
  city: str(),
  state: str(),
  country_code: str(),
  third_party_flag: str(),
  expedited_review_flag: str(),
  openfda: obj(OpenFdaBlockSchema),
});
export type ClearanceRecord = z.output<typeof ClearanceRecordSchema>;

// ------------------------------------------------------------------------------ /device/registrationlisting

export const ListingProductSchema = z.looseObject({
  product_code: str(),
  created_date: str(),
  exempt: str(),
  owner_operator_number: str(),
  openfda: obj(OpenFdaBlockSchema),
});

export const RegistrationSchema = z.looseObject({
  registration_number: str(),
  fei_number: str(),
  name: str(),
  status_code: str(),
  reg_expiry_date_year: str(),
  initial_importer_flag: str(),
  city: str(),
  state_code: str(),
  iso_country_code: str(),
  owner_operator: obj(
    z.looseObject({
      owner_operator_number: str(),
      firm_name: str(),
      contact_address: obj(z.looseObject({ city: str(), iso_country_code: str() })),
    }),
  ),
  // us_agent and official_correspondent (personal data) are neither typed nor stored.
});

export const RegistrationListingRecordSchema = z.looseObject({
  establishment_type: strList(),
  proprietary_name: strList(),
  k_number: str(),
  pma_number: str(),
  products: objList(ListingProductSchema),
  registration: obj(RegistrationSchema),
});
export type RegistrationListingRecord = z.output<typeof RegistrationListingRecordSchema>;

// ----------------------------------------------------------------------------------- /device/classification

export const ClassificationRecordSchema = z.looseObject({
  product_code: str(),
  device_name: str(),
  device_class: str(),
  regulation_number: str(),
  definition: str(),
  medical_specialty: str(),
  medical_specialty_description: str(),
  review_panel: str(),
  review_code: str(),
  submission_type_id: str(),
  gmp_exempt_flag: str(),
  implant_flag: str(),
  life_sustain_support_flag: str(),
  third_party_flag: str(),
  unclassified_reason: str(),
  summary_malfunction_reporting: str(),
});
export type ClassificationRecord = z.output<typeof ClassificationRecordSchema>;

// ------------------------------------------------------------------------------------------------- envelope

/**
 * `{ meta: { last_updated, results: { skip, limit, total } }, results: [] }`. Results stay `unknown` here:
 * each record is parsed on its own, so one odd record cannot reject a page.
 */
export const OpenFdaEnvelopeSchema = z.looseObject({
  meta: obj(
    z.looseObject({
      last_updated: str(),
      disclaimer: str(),
      synthetic: z.unknown().optional().transform((v) => v === true),
      results: obj(
        z.looseObject({
          skip: z.unknown().optional().transform((v) => parseIntLoose(v)),
          limit: z.unknown().optional().transform((v) => parseIntLoose(v)),
          total: z.unknown().optional().transform((v) => parseIntLoose(v)),
        }),
      ),
    }),
  ),
  results: z
    .unknown()
    .optional()
    .transform((v): unknown[] => (Array.isArray(v) ? v : [])),
});
export type OpenFdaEnvelope = z.output<typeof OpenFdaEnvelopeSchema>;

/** The openFDA device datasets this project mirrors. */
export const OPENFDA_DATASETS = ['udi', 'recall', 'enforcement', '510k', 'registrationlisting', 'classification'] as const;
export type OpenFdaDataset = (typeof OPENFDA_DATASETS)[number];

export const RECORD_SCHEMAS = {
  udi: UdiRecordSchema,
  recall: RecallRecordSchema,
  enforcement: EnforcementRecordSchema,
  '510k': ClearanceRecordSchema,
  registrationlisting: RegistrationListingRecordSchema,
  classification: ClassificationRecordSchema,
} as const;
