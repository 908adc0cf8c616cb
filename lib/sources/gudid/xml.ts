/**
 * GUDID public-release XML (`<gudid><device>…</device>…</gudid>`, namespace http://www.fda.gov/cdrh/gudid) →
 * the openFDA /device/udi raw shape, so one mapper (lib/sources/openfda/udi.ts) serves both. The renames
 * follow openFDA's own pipeline (deviceId→id, containsDINumber→unit_of_use_id, dunsNumber→labeler_duns_number…).
 *
 * Built for streams: `GudidDeviceSplitter` cuts complete `<device>` elements out of text chunks as they
 * arrive, and each element is parsed and mapped on its own (memory stays flat whatever the file size).
 * GMDN terms (licensed) and customer contacts (personal data) are dropped here already.
 */
import { XMLParser } from 'fast-xml-parser';
import type { BaseItem } from '../../domain/item.js';
import type { MapOptions } from '../item.js';
import { cleanString } from '../normalize.js';
import type { UdiRecordInput } from '../openfda/schemas.js';
import { mapUdiRecord } from '../openfda/udi.js';

const ARRAY_TAGS = new Set(['device', 'identifier', 'fdaProductCode', 'premarketSubmission', 'customerContact', 'gmdn', 'fei', 'storageHandling', 'deviceSize', 'sterilizationMethod']);

function makeParser(): XMLParser {
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    removeNSPrefix: true,
    // Keep every value a string: DIs have leading zeros, model numbers look numeric.
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    processEntities: true,
    isArray: (name) => ARRAY_TAGS.has(name),
  });
}

type XmlNode = Record<string, unknown>;
const isNode = (v: unknown): v is XmlNode => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Text of a child element (`<a>x</a>` → "x", `<a/>` → undefined). */
function text(node: XmlNode, key: string): string | undefined {
  const v = node[key];
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return cleanString(String(v));
  if (isNode(v) && typeof v['#text'] === 'string') return cleanString(v['#text']);
  return undefined;
}

function children(node: XmlNode, container: string, element: string): XmlNode[] {
  const c = node[container];
  if (!isNode(c)) return [];
  const list = c[element];
  return Array.isArray(list) ? list.filter(isNode) : isNode(list) ? [list] : [];
}

/** One parsed `<device>` element (fast-xml-parser object) → the openFDA /device/udi raw record shape. */
export function gudidDeviceToUdiRecord(device: XmlNode): UdiRecordInput {
  return {
    public_device_record_key: text(device, 'publicDeviceRecordKey'),
    public_version_status: text(device, 'publicVersionStatus'),
    public_version_number: text(device, 'publicVersionNumber'),
    public_version_date: text(device, 'publicVersionDate'),
    record_status: text(device, 'deviceRecordStatus'),
    publish_date: text(device, 'devicePublishDate'),
    commercial_distribution_end_date: text(device, 'deviceCommDistributionEndDate'),
    commercial_distribution_status: text(device, 'deviceCommDistributionStatus'),
    identifiers: children(device, 'identifiers', 'identifier').map((i) => ({
      id: text(i, 'deviceId'),
      type: text(i, 'deviceIdType'),
      issuing_agency: text(i, 'deviceIdIssuingAgency'),
      unit_of_use_id: text(i, 'containsDINumber'),
      quantity_per_package: text(i, 'pkgQuantity'),
      package_discontinue_date: text(i, 'pkgDiscontinueDate'),
      package_status: text(i, 'pkgStatus'),
      package_type: text(i, 'pkgType'),
    })),
    brand_name: text(device, 'brandName'),
    version_or_model_number: text(device, 'versionModelNumber'),
    catalog_number: text(device, 'catalogNumber'),
    labeler_duns_number: text(device, 'dunsNumber'),
    company_name: text(device, 'companyName'),
    device_count_in_base_package: text(device, 'deviceCount'),
    device_description: text(device, 'deviceDescription'),
    is_direct_marking_exempt: text(device, 'DMExempt'),
    is_pm_exempt: text(device, 'premarketExempt'),
    is_hct_p: text(device, 'deviceHCTP'),
    is_kit: text(device, 'deviceKit'),
    is_combination_product: text(device, 'deviceCombinationProduct'),
    is_single_use: text(device, 'singleUse'),
    has_lot_or_batch_number: text(device, 'lotBatch'),
    has_serial_number: text(device, 'serialNumber'),
    has_manufacturing_date: text(device, 'manufacturingDate'),
    has_expiration_date: text(device, 'expirationDate'),
    has_donation_id_number: text(device, 'donationIdNumber'),
    is_labeled_as_nrl: text(device, 'labeledContainsNRL'),
    is_labeled_as_no_nrl: text(device, 'labeledNoNRL'),
    mri_safety: text(device, 'MRISafetyStatus'),
    is_rx: text(device, 'rx'),
    is_otc: text(device, 'otc'),
    product_codes: children(device, 'productCodes', 'fdaProductCode').map((p) => ({
      code: text(p, 'productCode'),
      name: text(p, 'productCodeName'),
    })),
    premarket_submissions: children(device, 'premarketSubmissions', 'premarketSubmission').map((p) => ({
      submission_number: text(p, 'submissionNumber'),
      supplement_number: text(p, 'supplementNumber'),
      submission_type: text(p, 'submissionType'),
    })),
  };
}

function collectDevices(node: unknown, out: XmlNode[], depth: number): void {
  if (depth > 4 || !isNode(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'device') {
      for (const d of Array.isArray(value) ? value : [value]) if (isNode(d)) out.push(d);
    } else if (isNode(value)) {
      collectDevices(value, out, depth + 1);
    }
  }
}

/** Every `<device>` of a GUDID XML document (or of one `<device>` fragment) in the openFDA raw shape. */
export function parseGudidXml(xml: string): UdiRecordInput[] {
  const devices: XmlNode[] = [];
  collectDevices(makeParser().parse(xml), devices, 0);
  return devices.map(gudidDeviceToUdiRecord);
}

/** A GUDID XML document → `device` / `device-identifier` items with source `gudid-xml`. */
export function mapGudidXml(xml: string, options: MapOptions = {}): BaseItem[] {
  const source = options.source ?? 'gudid-xml';
  return parseGudidXml(xml).flatMap((r) => mapUdiRecord(r, { source }));
}

/**
 * Cuts complete `<device …>…</device>` elements out of a text stream. Feed chunks with `push`; each call
 * returns the elements completed so far (each parseable on its own with `parseGudidXml`). Namespace
 * declarations live on each `<device>` in GUDID files, so a cut element stays well-formed.
 */
export class GudidDeviceSplitter {
  private buffer = '';
  private pendingComment = false;
  /** End of the last comment skipped by findOpen: nothing before it may start a tag. */
  private scannedTo = 0;

  push(chunk: string): string[] {
    this.buffer += chunk;
    const out: string[] = [];
    for (;;) {
      this.pendingComment = false;
      const start = this.findOpen(0);
      if (start < 0) {
        // Keep an open comment whole, else a tail that might hold the start of a split `<device` tag.
        if (!this.pendingComment) this.buffer = this.buffer.slice(Math.max(this.scannedTo, this.buffer.length - 16));
        return out;
      }
      const end = this.buffer.indexOf('</device>', start);
      if (end < 0) {
        this.buffer = this.buffer.slice(start);
        return out;
      }
      const stop = end + '</device>'.length;
      out.push(this.buffer.slice(start, stop));
      this.buffer = this.buffer.slice(stop);
    }
  }

  /**
   * Index of the next `<device>` / `<device …>` open tag (not `<deviceId>` etc.), skipping XML comments
   * (a comment may mention `<device>`). -1 when none yet, including inside a comment not yet closed.
   */
  private findOpen(from: number): number {
    const re = /<!--|<device[\s>]/g;
    re.lastIndex = from;
    this.scannedTo = 0;
    for (let m = re.exec(this.buffer); m !== null; m = re.exec(this.buffer)) {
      if (m[0] !== '<!--') return m.index;
      const close = this.buffer.indexOf('-->', m.index + 4);
      if (close < 0) {
        // Wait for the rest of the comment: drop what precedes it so the tail kept below holds it whole.
        this.buffer = this.buffer.slice(m.index);
        this.pendingComment = true;
        return -1;
      }
      re.lastIndex = close + 3;
      this.scannedTo = close + 3;
    }
    return -1;
  }
}
