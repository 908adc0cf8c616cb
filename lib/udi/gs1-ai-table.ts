/**
 * GS1 Application Identifier table, written from the facts of the GS1 General Specifications
 * (section 3, "GS1 Application Identifier definitions") and Figure 7.8.5-2 (AIs with a predefined
 * length, which need no FNC1 separator after them).
 *
 * Spec mini-language (one string per AI): components separated by spaces, each
 *   `N14` fixed-length numeric, `X..20` variable-length CSET 82, `Y..30` CSET 39, `Z..90` CSET 64,
 *   optionally followed by `,lint` (csum | yymmd0 | yymmdd | yymmddhh | yymmddhhmm | hhmm | yyyymmdd |
 *   yyyymmddhhmm), and wrapped in `[ ]` when the component is optional (only trailing ones are).
 * The table is parsed once at module load into flat lookup arrays indexed by the numeric AI.
 */

/** Character sets: N numeric, X = GS1 CSET 82, Y = CSET 39, Z = CSET 64 (base64url). */
export const Cset = { N: 0, X: 1, Y: 2, Z: 3 } as const;
export type Cset = (typeof Cset)[keyof typeof Cset];

/** Extra value checks ("linters"). Yymmd0 = YYMMDD where DD may be 00 (day not specified). */
export const Lint = {
  None: 0,
  Csum: 1,
  Yymmd0: 2,
  Yymmdd: 3,
  Yymmddhh: 4,
  Yymmddhhmm: 5,
  Hhmm: 6,
  Yyyymmdd: 7,
  Yyyymmddhhmm: 8,
} as const;
export type Lint = (typeof Lint)[keyof typeof Lint];

export interface AiComponent {
  readonly cset: Cset;
  readonly min: number;
  readonly max: number;
  readonly lint: Lint;
  readonly optional: boolean;
}

export interface AiEntry {
  readonly ai: string;
  readonly title: string;
  /** `(ai)`: the HRI prefix, precomputed. */
  readonly hri: string;
  /** Total value length bounds. */
  readonly minLength: number;
  readonly maxLength: number;
  /** True when the AI is in the GS1 predefined-length table: no FNC1 after it, value is exactly maxLength. */
  readonly predefined: boolean;
  readonly components: readonly AiComponent[];
  /** Convenience: the single component when there is one (most AIs). */
  readonly simple: AiComponent | undefined;
}

const SPECS: ReadonlyArray<readonly [string, string, string]> = [
  ['00', 'N18,csum', 'SSCC'],
  ['01', 'N14,csum', 'GTIN'],
  ['02', 'N14,csum', 'CONTENT'],
  ['03', 'N14,csum', 'MTO GTIN'],
  ['10', 'X..20', 'BATCH/LOT'],
  ['11', 'N6,yymmd0', 'PROD DATE'],
  ['12', 'N6,yymmd0', 'DUE DATE'],
  ['13', 'N6,yymmd0', 'PACK DATE'],
  ['15', 'N6,yymmd0', 'BEST BEFORE or BEST BY'],
  ['16', 'N6,yymmd0', 'SELL BY'],
  ['17', 'N6,yymmd0', 'USE BY OR EXPIRY'],
  ['20', 'N2', 'VARIANT'],
  ['21', 'X..20', 'SERIAL'],
  ['22', 'X..20', 'CPV'],
  ['235', 'X..28', 'TPX'],
  ['240', 'X..30', 'ADDITIONAL ID'],
  ['241', 'X..30', 'CUST. PART No.'],
  ['242', 'N..6', 'MTO VARIANT'],
  ['243', 'X..20', 'PCN'],
  ['250', 'X..30', 'SECONDARY SERIAL'],
  ['251', 'X..30', 'REF. TO SOURCE'],
  ['253', 'N13,csum [X..17]', 'GDTI'],
  ['254', 'X..20', 'GLN EXTENSION COMPONENT'],
  ['255', 'N13,csum [N..12]', 'GCN'],
  ['30', 'N..8', 'VAR. COUNT'],
  ['37', 'N..8', 'COUNT'],
  ['400', 'X..30', 'ORDER NUMBER'],
  ['401', 'X..30', 'GINC'],
  ['402', 'N17,csum', 'GSIN'],
  ['403', 'X..30', 'ROUTE'],
  ['410', 'N13,csum', 'SHIP TO LOC'],
  ['411', 'N13,csum', 'BILL TO'],
  ['412', 'N13,csum', 'PURCHASE FROM'],
  ['413', 'N13,csum', 'SHIP FOR LOC'],
  ['414', 'N13,csum', 'LOC No.'],
  ['415', 'N13,csum', 'PAY TO'],
  ['416', 'N13,csum', 'PROD/SERV LOC'],
  ['417', 'N13,csum', 'PARTY'],
  ['420', 'X..20', 'SHIP TO POST'],
  ['421', 'N3 X..9', 'SHIP TO POST'],
  ['422', 'N3', 'ORIGIN'],
  ['423', 'N3 [N..12]', 'COUNTRY - INITIAL PROCESS'],
  ['424', 'N3', 'COUNTRY - PROCESS'],
  ['425', 'N3 [N..12]', 'COUNTRY - DISASSEMBLY'],
  ['426', 'N3', 'COUNTRY - FULL PROCESS'],
  ['427', 'X..3', 'ORIGIN SUBDIVISION'],
  ['4300', 'X..35', 'SHIP TO COMP'],
  ['4301', 'X..35', 'SHIP TO NAME'],
  ['4302', 'X..70', 'SHIP TO ADD1'],
  ['4303', 'X..70', 'SHIP TO ADD2'],
  ['4304', 'X..70', 'SHIP TO SUB'],
  ['4305', 'X..70', 'SHIP TO LOC'],
  ['4306', 'X..70', 'SHIP TO REG'],
  ['4307', 'X2', 'SHIP TO COUNTRY'],
  ['4308', 'X..30', 'SHIP TO PHONE'],
  ['4309', 'N20', 'SHIP TO GEO'],
  ['4310', 'X..35', 'RTN TO COMP'],
  ['4311', 'X..35', 'RTN TO NAME'],
  ['4312', 'X..70', 'RTN TO ADD1'],
  ['4313', 'X..70', 'RTN TO ADD2'],
  ['4314', 'X..70', 'RTN TO SUB'],
  ['4315', 'X..70', 'RTN TO LOC'],
  ['4316', 'X..70', 'RTN TO REG'],
  ['4317', 'X2', 'RTN TO COUNTRY'],
  ['4318', 'X..20', 'RTN TO POST'],
  ['4319', 'X..30', 'RTN TO PHONE'],
  ['4320', 'X..35', 'SRV DESCRIPTION'],
  ['4321', 'N1', 'DANGEROUS GOODS'],
  ['4322', 'N1', 'AUTH LEAVE'],
  ['4323', 'N1', 'SIG REQUIRED'],
  ['4324', 'N10,yymmddhhmm', 'NBEF DEL DT'],
  ['4325', 'N10,yymmddhhmm', 'NAFT DEL DT'],
  ['4326', 'N6,yymmdd', 'REL DATE'],
  ['4330', 'N6 [X1]', 'MAX TEMP F'],
  ['4331', 'N6 [X1]', 'MAX TEMP C'],
  ['4332', 'N6 [X1]', 'MIN TEMP F'],
  ['4333', 'N6 [X1]', 'MIN TEMP C'],
  ['7001', 'N13', 'NSN'],
  ['7002', 'X..30', 'MEAT CUT'],
  ['7003', 'N10,yymmddhhmm', 'EXPIRY TIME'],
  ['7004', 'N..4', 'ACTIVE POTENCY'],
  ['7005', 'X..12', 'CATCH AREA'],
  ['7006', 'N6,yymmdd', 'FIRST FREEZE DATE'],
  ['7007', 'N6,yymmdd [N6,yymmdd]', 'HARVEST DATE'],
  ['7008', 'X..3', 'AQUATIC SPECIES'],
  ['7009', 'X..10', 'FISHING GEAR TYPE'],
  ['7010', 'X..2', 'PROD METHOD'],
  ['7011', 'N6,yymmdd [N4,hhmm]', 'TEST BY DATE'],
  ['7020', 'X..20', 'REFURB LOT'],
  ['7021', 'X..20', 'FUNC STAT'],
  ['7022', 'X..20', 'REV STAT'],
  ['7023', 'X..30', 'GIAI - ASSEMBLY'],
  ['7040', 'N1 X3', 'UIC+EXT'],
  ['7041', 'X..4', 'UFRGT UNIT TYPE'],
  ['710', 'X..20', 'NHRN PZN'],
  ['711', 'X..20', 'NHRN CIP'],
  ['712', 'X..20', 'NHRN CN'],
  ['713', 'X..20', 'NHRN DRN'],
  ['714', 'X..20', 'NHRN AIM'],
  ['715', 'X..20', 'NHRN NDC'],
  ['716', 'X..20', 'NHRN AIC'],
  ['7240', 'X..20', 'PROTOCOL'],
  ['7241', 'N2', 'AIDC MEDIA TYPE'],
  ['7242', 'X..25', 'VCN'],
  ['7250', 'N8,yyyymmdd', 'DOB'],
  ['7251', 'N12,yyyymmddhhmm', 'DOB TIME'],
  ['7252', 'N1', 'BIO SEX'],
  ['7253', 'X..40', 'FAMILY NAME'],
  ['7254', 'X..40', 'GIVEN NAME'],
  ['7255', 'X..10', 'SUFFIX'],
  ['7256', 'X..90', 'FULL NAME'],
  ['7257', 'X..70', 'PERSON ADDR'],
  ['7258', 'X3', 'BIRTH SEQUENCE'],
  ['7259', 'X..40', 'BABY'],
  ['8001', 'N14', 'DIMENSIONS'],
  ['8002', 'X..20', 'CMT No.'],
  ['8003', 'N14,csum [X..16]', 'GRAI'],
  ['8004', 'X..30', 'GIAI'],
  ['8005', 'N6', 'PRICE PER UNIT'],
  ['8006', 'N14,csum N2 N2', 'ITIP'],
  ['8007', 'X..34', 'IBAN'],
  ['8008', 'N8,yymmddhh [N..4]', 'PROD TIME'],
  ['8009', 'X..50', 'OPTSEN'],
  ['8010', 'Y..30', 'CPID'],
  ['8011', 'N..12', 'CPID SERIAL'],
  ['8012', 'X..20', 'VERSION'],
  ['8013', 'X..25', 'GMN'],
  ['8014', 'X..25', 'MUDI'],
  ['8017', 'N18,csum', 'GSRN - PROVIDER'],
  ['8018', 'N18,csum', 'GSRN - RECIPIENT'],
  ['8019', 'N..10', 'SRIN'],
  ['8020', 'X..25', 'REF No.'],
  ['8026', 'N14,csum N2 N2', 'ITIP CONTENT'],
  ['8030', 'Z..90', 'DIGSIG'],
  ['8110', 'X..70', 'COUPON'],
  ['8111', 'N4', 'POINTS'],
  ['8112', 'X..70', 'COUPON'],
  ['8200', 'X..70', 'PRODUCT URL'],
  ['90', 'X..30', 'INTERNAL'],
];

/** Measure AIs 31nn–36nn (n = implied decimal point position 0–5): value N6. */
const MEASURES: ReadonlyArray<readonly [string, string]> = [
  ['310', 'NET WEIGHT (kg)'],
  ['311', 'LENGTH (m)'],
  ['312', 'WIDTH (m)'],
  ['313', 'HEIGHT (m)'],
  ['314', 'AREA (m2)'],
  ['315', 'NET VOLUME (l)'],
  ['316', 'NET VOLUME (m3)'],
  ['320', 'NET WEIGHT (lb)'],
  ['321', 'LENGTH (in)'],
  ['322', 'LENGTH (ft)'],
  ['323', 'LENGTH (yd)'],
  ['324', 'WIDTH (in)'],
  ['325', 'WIDTH (ft)'],
  ['326', 'WIDTH (yd)'],
  ['327', 'HEIGHT (in)'],
  ['328', 'HEIGHT (ft)'],
  ['329', 'HEIGHT (yd)'],
  ['330', 'GROSS WEIGHT (kg)'],
  ['331', 'LENGTH (m), log'],
  ['332', 'WIDTH (m), log'],
  ['333', 'HEIGHT (m), log'],
  ['334', 'AREA (m2), log'],
  ['335', 'VOLUME (l), log'],
  ['336', 'VOLUME (m3), log'],
  ['337', 'KG PER m2'],
  ['340', 'GROSS WEIGHT (lb)'],
  ['341', 'LENGTH (in), log'],
  ['342', 'LENGTH (ft), log'],
  ['343', 'LENGTH (yd), log'],
  ['344', 'WIDTH (in), log'],
  ['345', 'WIDTH (ft), log'],
  ['346', 'WIDTH (yd), log'],
  ['347', 'HEIGHT (in), log'],
  ['348', 'HEIGHT (ft), log'],
  ['349', 'HEIGHT (yd), log'],
  ['350', 'AREA (in2)'],
  ['351', 'AREA (ft2)'],
  ['352', 'AREA (yd2)'],
  ['353', 'AREA (in2), log'],
  ['354', 'AREA (ft2), log'],
  ['355', 'AREA (yd2), log'],
  ['356', 'NET WEIGHT (t oz)'],
  ['357', 'NET VOLUME (oz)'],
  ['360', 'NET VOLUME (qt)'],
  ['361', 'NET VOLUME (gal.)'],
  ['362', 'VOLUME (qt), log'],
  ['363', 'VOLUME (gal.), log'],
  ['364', 'VOLUME (in3)'],
  ['365', 'VOLUME (ft3)'],
  ['366', 'VOLUME (yd3)'],
  ['367', 'VOLUME (in3), log'],
  ['368', 'VOLUME (ft3), log'],
  ['369', 'VOLUME (yd3), log'],
];

/** Generated families: [prefix, spec, title, first suffix digit, last suffix digit]. */
const FAMILIES: ReadonlyArray<readonly [string, string, string, number, number]> = [
  ['390', 'N..15', 'AMOUNT', 0, 9],
  ['391', 'N3 N..15', 'AMOUNT', 0, 9],
  ['392', 'N..15', 'PRICE', 0, 9],
  ['393', 'N3 N..15', 'PRICE', 0, 9],
  ['394', 'N4', 'PRCNT OFF', 0, 3],
  ['395', 'N6', 'PRICE/UoM', 0, 5],
  ['703', 'N3 X..27', 'PROCESSOR #', 0, 9],
  ['723', 'X2 X..28', 'CERT #', 0, 9],
  ['9', 'X..90', 'INTERNAL', 1, 9],
];

/** GS1 General Specifications Figure 7.8.5-2: first two digits of AIs with a predefined length. */
const PREDEFINED_PREFIXES = new Set([
  '00', '01', '02', '03', '04', '11', '12', '13', '14', '15', '16', '17', '18', '19', '20',
  '31', '32', '33', '34', '35', '36', '41',
]);

const LINTS: Record<string, Lint> = {
  csum: Lint.Csum,
  yymmd0: Lint.Yymmd0,
  yymmdd: Lint.Yymmdd,
  yymmddhh: Lint.Yymmddhh,
  yymmddhhmm: Lint.Yymmddhhmm,
  hhmm: Lint.Hhmm,
  yyyymmdd: Lint.Yyyymmdd,
  yyyymmddhhmm: Lint.Yyyymmddhhmm,
};

function parseComponent(text: string): AiComponent {
  let t = text;
  const optional = t.startsWith('[');
  if (optional) t = t.slice(1, -1);
  const [fmt = '', lintName] = t.split(',');
  const letter = fmt[0];
  const cset: Cset | -1 = letter === 'N' ? Cset.N : letter === 'X' ? Cset.X : letter === 'Y' ? Cset.Y : letter === 'Z' ? Cset.Z : -1;
  if (cset === -1) throw new Error(`gs1-ai-table: bad component ${text}`);
  const variable = fmt.startsWith('..', 1);
  const n = Number(fmt.slice(variable ? 3 : 1));
  const lint = lintName === undefined ? Lint.None : LINTS[lintName];
  if (lint === undefined || !Number.isInteger(n) || n < 1) throw new Error(`gs1-ai-table: bad component ${text}`);
  return { cset, min: variable ? 1 : n, max: n, lint, optional };
}

function makeEntry(ai: string, spec: string, title: string): AiEntry {
  const components = spec.split(' ').map(parseComponent);
  let minLength = 0;
  let maxLength = 0;
  for (const c of components) {
    if (!c.optional) minLength += c.min;
    maxLength += c.max;
  }
  const predefined = PREDEFINED_PREFIXES.has(ai.slice(0, 2));
  return {
    ai,
    title,
    hri: `(${ai})`,
    minLength,
    maxLength,
    predefined,
    components,
    simple: components.length === 1 ? components[0] : undefined,
  };
}

/** Every AI entry, in numeric order of definition. */
export const AI_ENTRIES: readonly AiEntry[] = (() => {
  const out: AiEntry[] = SPECS.map(([ai, spec, title]) => makeEntry(ai, spec, title));
  for (const [prefix, title] of MEASURES) {
    for (let d = 0; d <= 5; d++) out.push(makeEntry(prefix + d, 'N6', title));
  }
  for (const [prefix, spec, title, from, to] of FAMILIES) {
    for (let d = from; d <= to; d++) out.push(makeEntry(prefix + d, spec, prefix === '9' ? title : `${title} ${d}`));
  }
  return out;
})();

/** Lookup by numeric AI value and AI length (2, 3 or 4 digits). Index = numeric value of the AI digits. */
export const AI_BY_2: ReadonlyArray<AiEntry | undefined> = new Array<AiEntry | undefined>(100).fill(undefined);
export const AI_BY_3: ReadonlyArray<AiEntry | undefined> = new Array<AiEntry | undefined>(1000).fill(undefined);
export const AI_BY_4: ReadonlyArray<AiEntry | undefined> = new Array<AiEntry | undefined>(10000).fill(undefined);
const AI_MAP = new Map<string, AiEntry>();

for (const e of AI_ENTRIES) {
  const n = Number(e.ai);
  const table = (e.ai.length === 2 ? AI_BY_2 : e.ai.length === 3 ? AI_BY_3 : AI_BY_4) as Array<AiEntry | undefined>;
  if (table[n] !== undefined || AI_MAP.has(e.ai)) throw new Error(`gs1-ai-table: duplicate AI ${e.ai}`);
  table[n] = e;
  AI_MAP.set(e.ai, e);
}

// The AI set must be prefix-free (no AI is the start of another), or element strings are ambiguous.
for (const e of AI_ENTRIES) {
  for (let l = 2; l < e.ai.length; l++) {
    if (AI_MAP.has(e.ai.slice(0, l))) throw new Error(`gs1-ai-table: AI ${e.ai} has prefix ${e.ai.slice(0, l)}`);
  }
}

/** Look up an AI by its digits (`'01'`, `'3103'`). */
export function lookupAi(ai: string): AiEntry | undefined {
  return AI_MAP.get(ai);
}
