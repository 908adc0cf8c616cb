import { z } from 'zod';
import type { Udi } from '../udi/index.js';
import type { Alias } from './manufacturer.js';

const text = (max: number) => z.string().trim().min(1).max(max);

/** What a caller asks: a scanned UDI (or a bare DI) and the manufacturer as claimed on the PO. */
export const checkInputSchema = z
  .object({
    udi: z.string().min(1).max(1024, 'UDIs are at most 1024 characters').optional(),
    di: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9+$/.:\-=&,]+$/, 'a DI has letters, digits and + $ / . : - = & , only').optional(),
    manufacturer: text(200),
    supplier: text(200).optional(),
    model: text(200).optional(),
    poNumber: text(100).optional(),
  })
  .strict()
  .refine((v) => (v.udi === undefined) !== (v.di === undefined), { message: 'give exactly one of udi or di', path: ['udi'] });
export type CheckInput = z.infer<typeof checkInputSchema>;

export type Decision = 'accept' | 'review' | 'reject';
export type Severity = 'info' | 'warning' | 'critical';

export const FINDING_CODES = [
  'UDI_MALFORMED',
  'UDI_CHECK_DIGIT',
  'DI_NOT_IN_GUDID',
  'RECORD_DEACTIVATED',
  'NOT_IN_COMMERCIAL_DISTRIBUTION',
  'PACKAGE_DISCONTINUED',
  'MANUFACTURER_MISMATCH',
  'RELABELED',
  'LABELER_IS_RELABELER',
  'COMPANY_PREFIX_MISMATCH',
  'PI_MISSING',
  'PI_UNEXPECTED',
  'EXPIRED',
  'RECALL_OPEN',
  'RECALL_LOT_MATCH',
  'RECALL_HISTORY',
  'SECURITY_ADVISORY',
  'SAFETY_COMMUNICATION',
  'SUPPLIER_NOT_AUTHORIZED',
  'DATA_STALE',
] as const;
export type FindingCode = (typeof FINDING_CODES)[number];

export interface EvidenceRef {
  source: string;
  /** The record's own id: DI, recall number, K number, advisory id, … */
  recordId: string;
  url?: string;
  /** The record's date (ISO). */
  date?: string;
}

export interface Finding {
  code: FindingCode;
  severity: Severity;
  message: string;
  evidence: EvidenceRef[];
}

/** Loosely typed stored items: the engine reads what it needs and tolerates what is missing. */
export type Item = Record<string, unknown>;

/** Everything the evidence reads found, grouped; produced by lib/check/evidence.ts. */
export interface Evidence {
  /** The DI looked up (GTIN-14 for GS1). */
  di: string;
  /** The `device` item, or the `device` copy inside a `device-identifier` item. */
  device?: Item;
  /** The identifier row of the scanned DI within the device (type, package status). */
  identifier?: Item;
  /** Whether the device came from the AccessGUDID read-through rather than the mirror. */
  fromReadThrough?: boolean;
  /** AccessGUDID could not be asked (down, or the DI is not one it accepts): the mirror answered alone. */
  readThroughFailed?: boolean;
  /** Recall references: by DI, by submission, by product code. */
  recallRefs: Item[];
  clearances: Item[];
  listings: Item[];
  /** Establishment references of the labeler's firm (establishment types). */
  labelerEstablishments: Item[];
  advisories: Item[];
  safetyCommunications: Item[];
  /** Devices that share the DI's GS1 company-prefix digits (only read when the DI is unknown). */
  prefixDevices: Item[];
  sources: Item[];
  aliases: Alias[];
  /** Organisation's authorised suppliers (empty = no list kept, nothing to check). */
  suppliers: string[];
}

export interface Family {
  labeler?: string;
  labelerDuns?: string;
  /** The clearance holder: the original manufacturer. */
  originalManufacturer?: string;
  submissions: string[];
  otherLabelers: string[];
  proprietaryNames: string[];
}

export interface CheckResult {
  id: string;
  checkedAt: string;
  decision: Decision;
  findings: Finding[];
  input: CheckInput;
  udi?: Udi;
  device?: Item;
  family: Family;
  dataAsOf: Record<string, { lastUpdated?: string; ingestedAt?: string }>;
}
