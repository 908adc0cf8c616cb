/**
 * Tolerant zod schema of a CSAF 2.0 advisory (the parts we map). Same leniency rules as the openFDA schemas:
 * scalars become `string | undefined`, lists become arrays, unknown keys are kept. A document without
 * `document.tracking.id` still parses; the mapper rejects it.
 */
import { z } from 'zod';
import { obj, objList, str } from '../openfda/schemas.js';

const NumberLoose = z
  .unknown()
  .optional()
  .transform((v) => {
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    return Number.isFinite(n) ? n : undefined;
  });

export const CsafNoteSchema = z.looseObject({ category: str(), title: str(), text: str() });
export const CsafReferenceSchema = z.looseObject({ category: str(), summary: str(), url: str() });
export const CsafRevisionSchema = z.looseObject({ number: str(), date: str(), summary: str(), legacy_version: str() });

export const CvssSchema = z.looseObject({
  version: str(),
  baseScore: NumberLoose,
  baseSeverity: str(),
  vectorString: str(),
});

export const CsafScoreSchema = z.looseObject({
  cvss_v3: obj(CvssSchema),
  cvss_v2: obj(CvssSchema),
  products: z.unknown().optional(),
});

export const CsafRemediationSchema = z.looseObject({ category: str(), details: str(), url: str() });

export const CsafVulnerabilitySchema = z.looseObject({
  cve: str(),
  title: str(),
  cwe: obj(z.looseObject({ id: str(), name: str() })),
  scores: objList(CsafScoreSchema),
  remediations: objList(CsafRemediationSchema),
  notes: objList(CsafNoteSchema),
});

export interface CsafBranch {
  category?: string;
  name?: string;
  product?: { name?: string; product_id?: string };
  branches: CsafBranch[];
}

export const CsafBranchSchema: z.ZodType<CsafBranch> = z.lazy(() =>
  z.object({
    category: str(),
    name: str(),
    product: z
      .unknown()
      .optional()
      .transform((v) => {
        const r = z.looseObject({ name: str(), product_id: str() }).safeParse(v);
        return r.success ? { name: r.data.name, product_id: r.data.product_id } : undefined;
      }),
    branches: objList(CsafBranchSchema),
  }),
) as unknown as z.ZodType<CsafBranch>;

export const CsafDocumentSchema = z.looseObject({
  document: obj(
    z.looseObject({
      category: str(),
      csaf_version: str(),
      title: str(),
      lang: str(),
      publisher: obj(z.looseObject({ name: str(), namespace: str() })),
      distribution: obj(z.looseObject({ tlp: obj(z.looseObject({ label: str() })) })),
      tracking: obj(
        z.looseObject({
          id: str(),
          version: str(),
          status: str(),
          initial_release_date: str(),
          current_release_date: str(),
          revision_history: objList(CsafRevisionSchema),
        }),
      ),
      notes: objList(CsafNoteSchema),
      references: objList(CsafReferenceSchema),
    }),
  ),
  product_tree: obj(z.looseObject({ branches: objList(CsafBranchSchema) })),
  vulnerabilities: objList(CsafVulnerabilitySchema),
});
export type CsafDocument = z.output<typeof CsafDocumentSchema>;
