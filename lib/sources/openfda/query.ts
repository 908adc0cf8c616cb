/**
 * openFDA `search` expressions built so that no value can change a query's meaning: fields come from a
 * whitelist, every value is a quoted phrase with `"` and `\` escaped, dates are validated, and the whole
 * expression is percent-encoded by the HTTP client (a literal `+` reaches openFDA as %2B, not a space).
 */

export type OpenFdaEndpoint = 'udi' | 'recall' | 'enforcement' | '510k' | 'registrationlisting' | 'classification';

export const SEARCH_FIELDS: Record<OpenFdaEndpoint, readonly string[]> = {
  udi: [
    'identifiers.id', 'public_version_date', 'publish_date', 'company_name', 'company_name.exact', 'brand_name',
    'labeler_duns_number', 'product_codes.code', 'premarket_submissions.submission_number', 'public_device_record_key',
  ],
  recall: ['product_res_number', 'event_date_posted', 'event_date_initiated', 'recalling_firm', 'product_code', 'k_numbers', 'pma_numbers', 'code_info', 'res_event_number'],
  enforcement: ['recall_number', 'report_date', 'recall_initiation_date', 'recalling_firm', 'code_info', 'event_id', 'classification'],
  '510k': ['k_number', 'decision_date', 'applicant', 'product_code'],
  registrationlisting: ['k_number', 'pma_number', 'products.product_code', 'products.created_date', 'registration.registration_number', 'registration.name', 'establishment_type.exact', 'proprietary_name'],
  classification: ['product_code', 'regulation_number', 'device_class'],
};

export class QueryError extends Error {}

export interface Clause {
  readonly text: string;
}

function checkField(endpoint: OpenFdaEndpoint, field: string): string {
  if (!SEARCH_FIELDS[endpoint].includes(field)) throw new QueryError(`Field "${field}" is not searchable on /device/${endpoint}.`);
  return field;
}

/** A quoted Lucene phrase: only `"` and `\` are special inside quotes. Control characters are refused. */
export function phrase(value: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) throw new QueryError('Search values may not contain control characters.');
  if (value.trim() === '') throw new QueryError('Search values may not be empty.');
  if (value.length > 500) throw new QueryError('Search values are limited to 500 characters.');
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** `field:"value"` — an exact phrase on one whitelisted field. */
export function term(endpoint: OpenFdaEndpoint, field: string, value: string): Clause {
  return { text: `${checkField(endpoint, field)}:${phrase(value)}` };
}

const DATE = /^(\d{4})-?(\d{2})-?(\d{2})$/;

function checkDate(value: string): string {
  const m = DATE.exec(value);
  if (!m) throw new QueryError(`"${value}" is not a date (YYYY-MM-DD).`);
  const [, y, mo, d] = m;
  const date = new Date(`${y}-${mo}-${d}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== `${y}-${mo}-${d}`) throw new QueryError(`"${value}" is not a valid date.`);
  return `${y}${mo}${d}`;
}

/** `field:[from TO to]` on a date field; dates are validated and written as YYYYMMDD. */
export function dateRange(endpoint: OpenFdaEndpoint, field: string, from: string, to: string): Clause {
  return { text: `${checkField(endpoint, field)}:[${checkDate(from)} TO ${checkDate(to)}]` };
}

/** `_exists_:field` — every record that has the field (a full listing). */
export function exists(endpoint: OpenFdaEndpoint, field: string): Clause {
  return { text: `_exists_:${checkField(endpoint, field)}` };
}

export function and(...clauses: Clause[]): Clause {
  return { text: clauses.length === 1 ? (clauses[0] as Clause).text : clauses.map((c) => `(${c.text})`).join(' AND ') };
}

export function or(...clauses: Clause[]): Clause {
  return { text: clauses.length === 1 ? (clauses[0] as Clause).text : clauses.map((c) => `(${c.text})`).join(' OR ') };
}

/** `sort=field:asc` on a whitelisted field. */
export function sortBy(endpoint: OpenFdaEndpoint, field: string, direction: 'asc' | 'desc' = 'asc'): string {
  return `${checkField(endpoint, field)}:${direction}`;
}
