/**
 * UDI parsing and validation (GS1 element strings / HRI / Digital Link, HIBCC, ICCBBA ISBT 128).
 * Pure: no I/O, no imports from the rest of the project. See docs/udi.md.
 */
export { parseUdi, decodeTypedSeparators, MAX_UDI_LENGTH } from './parse.js';
export { formatUdi, type FormatUdiInput } from './format.js';
export { gtinCheckDigit, isValidGtin, normalizeGtin14 } from './gtin.js';
export { hibcCheckCharacter, HIBC_CHARSET } from './hibcc.js';
export { mod37_2 as isbtMod37_2 } from './iccbba.js';
export { AI_ENTRIES, lookupAi, type AiEntry, type AiComponent } from './gs1-ai-table.js';
export { UdiErrorCode, UdiWarningCode } from './types.js';
export type {
  FormatUdiOptions,
  IssuingAgency,
  ParseUdiOptions,
  ParseUdiResult,
  Udi,
  UdiElement,
  UdiError,
  UdiSyntax,
  UdiWarning,
} from './types.js';
