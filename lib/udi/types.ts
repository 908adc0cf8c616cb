/**
 * Public types of the UDI parser. Field names follow the AccessGUDID v2 `parse_udi` output
 * (issuingAgency, di, lotNumber, serialNumber, expirationDate, …) so results can be compared with it.
 */

/** Stable error codes. Documented in docs/udi.md; never rename, only add. */
export const UdiErrorCode = {
  /** Input is empty (or only whitespace / separators). */
  EMPTY: 'EMPTY',
  /** Input is longer than 1024 characters. */
  TOO_LONG: 'TOO_LONG',
  /** Input is not a GS1, HIBCC or ICCBBA UDI (or not a string). */
  UNKNOWN_FORMAT: 'UNKNOWN_FORMAT',
  /** GTIN (AI 01/02/03, Digital Link /01/, bare GTIN) check digit is wrong. */
  GTIN_CHECK_DIGIT: 'GTIN_CHECK_DIGIT',
  /** Mod-10 check digit of another GS1 key (SSCC, GLN, GSRN, …) is wrong. */
  CHECK_DIGIT: 'CHECK_DIGIT',
  /** HIBC mod-43 check character is wrong. */
  HIBC_CHECK_CHARACTER: 'HIBC_CHECK_CHARACTER',
  /** HIBC secondary symbol's link character differs from the primary's check character. */
  HIBC_LINK_MISMATCH: 'HIBC_LINK_MISMATCH',
  /** `+/` HIBC Provider Applications Standard data, not a supplier UDI. */
  HIBC_PROVIDER_CODE: 'HIBC_PROVIDER_CODE',
  /** ISBT 128 DIN ISO 7064 mod 37-2 checksum (type-3 flag characters 60–96) is wrong. */
  DIN_CHECKSUM: 'DIN_CHECKSUM',
  /** A date (or time) field is not a real calendar date. */
  INVALID_DATE: 'INVALID_DATE',
  /** A field is too short or too long. */
  BAD_LENGTH: 'BAD_LENGTH',
  /** A character outside the field's character set. */
  BAD_CHARACTER: 'BAD_CHARACTER',
  /** A GS1 Application Identifier that does not exist (or is not numeric). */
  UNKNOWN_AI: 'UNKNOWN_AI',
  /** An ISBT 128 data identifier this parser does not know. */
  UNKNOWN_DATA_STRUCTURE: 'UNKNOWN_DATA_STRUCTURE',
  /** The same AI / data structure / field twice with different values. */
  DUPLICATE_AI: 'DUPLICATE_AI',
  /** ISBT 128 compound message (`=+`) count differs from the number of data structures. */
  COMPOUND_COUNT: 'COMPOUND_COUNT',
  /** No device identifier and `requireDi: true` was requested. */
  MISSING_DI: 'MISSING_DI',
  /** Structural error: bad Digital Link path, unknown HIBC flag, misplaced field, … */
  SYNTAX: 'SYNTAX',
} as const;
export type UdiErrorCode = (typeof UdiErrorCode)[keyof typeof UdiErrorCode];

/** Warning codes: the input was accepted but something was assumed or tolerated. */
export const UdiWarningCode = {
  /** GS1 date with DD = 00: mapped to the last day of the month. */
  DAY_NOT_SPECIFIED: 'DAY_NOT_SPECIFIED',
  /** HIBC MMYY date (no day): mapped to the last day of the month. */
  MONTH_ONLY_DATE: 'MONTH_ONLY_DATE',
  /** No device identifier in the input (allowed unless `requireDi: true`). */
  NO_DI: 'NO_DI',
  /** The same AI twice with the same value. */
  DUPLICATE_SAME_VALUE: 'DUPLICATE_SAME_VALUE',
  /** Superseded HIBC secondary format (5-digit Julian date after `+`). */
  SUPERSEDED_FORMAT: 'SUPERSEDED_FORMAT',
  /** Two expiry (or manufacturing) dates in one HIBC symbol that disagree; the first is kept. */
  CONFLICTING_DATES: 'CONFLICTING_DATES',
  /** HIBC secondary symbol without its primary: the link character could not be verified. */
  LINK_NOT_VERIFIED: 'LINK_NOT_VERIFIED',
  /** A GTIN-8/12/13 was left-padded with zeros to 14 digits. */
  GTIN_PADDED: 'GTIN_PADDED',
  /** A Digital Link query parameter that is not an AI was ignored. */
  IGNORED_PARAMETER: 'IGNORED_PARAMETER',
  /** HIBC /S serial given twice (main field and supplement); the first is kept. */
  DUPLICATE_FIELD: 'DUPLICATE_FIELD',
} as const;
export type UdiWarningCode = (typeof UdiWarningCode)[keyof typeof UdiWarningCode];

export interface UdiError {
  code: UdiErrorCode;
  /** Specific, human message: which AI / field / position and why. */
  message: string;
  /** 0-based index into the original input string, when known. */
  position?: number;
}

export interface UdiWarning {
  code: UdiWarningCode;
  message: string;
}

export type IssuingAgency = 'GS1' | 'HIBCC' | 'ICCBBA';

/** Which syntax the input was written in. */
export type UdiSyntax =
  | 'gs1-element-string'
  | 'gs1-hri'
  | 'gs1-digital-link'
  | 'gtin'
  | 'hibcc'
  | 'iccbba';

/** One AI (GS1), data structure (ICCBBA) or field (HIBCC) as it was found. */
export interface UdiElement {
  /** GS1 AI (`01`), ISBT 128 data identifier (`=/`), or HIBC field id (`LIC`, `PCN`, `$$3`, `16D`, …). */
  id: string;
  /** Data title / structure name. */
  name: string;
  /** The value as carried in the symbol (percent-decoded for Digital Link), without the identifier. */
  value: string;
  /** For date-valued elements: the resolved YYYY-MM-DD date. */
  date?: string;
}

export interface Udi {
  /** The input string, unchanged. */
  udi: string;
  issuingAgency: IssuingAgency;
  syntax: UdiSyntax;
  /** AIM symbology identifier (`]d2`, `]C1`, …) when the input carried one. */
  symbologyIdentifier?: string;
  /** Device identifier: GTIN-14 (GS1), LIC+PCN+U (HIBCC), PPIC or container code (ICCBBA). */
  di?: string;
  /** HIBCC LIC or ICCBBA FIN(P). Undefined for GS1 (company prefix length is not knowable offline). */
  labelerCode?: string;
  lotNumber?: string;
  serialNumber?: string;
  expirationDate?: string;
  expirationDateOriginal?: string;
  expirationDateOriginalFormat?: string;
  manufacturingDate?: string;
  manufacturingDateOriginal?: string;
  manufacturingDateOriginalFormat?: string;
  /** ICCBBA DIN including its two flag characters (15 characters). */
  donationId?: string;
  /** Every AI / data structure / field in input order. */
  elements: UdiElement[];
  /** Canonical human-readable form. GS1: `(01)…(17)…`; HIBCC / ICCBBA: the data without wrappers. */
  normalized: string;
  warnings: UdiWarning[];

  /** HIBCC: product / catalogue number (PCN). */
  productCode?: string;
  /** HIBCC: unit-of-measure / packaging index digit. */
  unitOfMeasure?: number;
  /** HIBCC: quantity ($$8, $$9 or /Q). */
  quantity?: number;
  /** HIBCC: mod-43 check character of the (last) symbol. */
  checkCharacter?: string;
  /** HIBCC two-symbol form: link character of the secondary symbol. */
  linkCharacter?: string;

  /** ICCBBA: 13-character DIN without flags. */
  din?: string;
  /** ICCBBA: the DIN's two flag characters. */
  dinFlags?: string;
  /** ICCBBA: true when the flags carry a mod 37-2 checksum (type 3, 60–96) and it matched. */
  dinChecksumValid?: boolean;
  /** ICCBBA compound message (`=+`) header. */
  compoundMessage?: { count: number; sequence: string };
}

export interface ParseUdiOptions {
  /**
   * Reference date for the GS1 two-digit-year window (−49…+50 years; also used for HIBC two-digit years).
   * Defaults to the current date. Pass it for deterministic results.
   */
  referenceDate?: Date | string | number;
  /** When true, an input without a device identifier is an error (MISSING_DI) instead of a warning. */
  requireDi?: boolean;
}

export type ParseUdiResult = { ok: true; udi: Udi } | { ok: false; error: UdiError };

export interface FormatUdiOptions {
  /** `hri`: GS1 `(01)…` human-readable; `raw`: GS1 element string with GS (\x1d) separators. */
  style?: 'hri' | 'raw';
}
