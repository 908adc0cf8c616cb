/**
 * Manufacturer matching on real firm names. Every name marked REAL is copied from a file under
 * the project's shared data folder (shared/data, cited beside it; paths relative to that folder); names marked CONSTRUCTED are spellings
 * written here to probe one rule and are not in those files.
 */
import { describe, expect, it } from 'vitest';
import { SIMILARITY_THRESHOLD, distinctiveWords, firmSimilarity, isMatch, matchFirm, type Alias } from '../../../lib/check/manufacturer.js';
import { normalizeFirmName } from '../../../lib/domain/names.js';

// REAL names and where they occur.
const DIASORIN_REG = 'DIASORIN S.P.A.'; // openfda/registrationlisting/registrationlisting-site-examples-diasorin-9610240.json, registration.name
const DIASORIN_OWNER = 'DiaSorin S.p.A'; // same file, registration.owner_operator.firm_name
const DIASORIN_US = 'DIASORIN INC.'; // same file, registration.us_agent.business_name (the US subsidiary)
const ARROW = 'Arrow International Inc'; // openfda/recall/recall-site-examples-Z-0359-2013-Z-0053-2020.json, recalling_firm of Z-0053-2020
const ARROW_TEXT = 'Arrow International'; // same record, `action`: "On May 17, 2019, Arrow International issued …"
const ARROW_ABBR = 'Arrow Intl'; // openfda/SOURCES.md describes Z-0053-2020 as "(Arrow Intl, Terminated)"
const TELEFLEX = 'Teleflex'; // same record, `action`: "… email it to recalls@teleflex.com" (Arrow's parent)
const BD = 'Becton Dickinson & Co.'; // openfda/enforcement/enforcement-Z-0198-2018-classIII-terminated.response.json, recalling_firm
const BD_BIOSCIENCES = 'BD Biosciences, Systems & Reagents'; // openfda/enforcement/enforcement-Z-1375-2015-classII-terminated.response.json, recalling_firm
const NUVASIVE = 'Nuvasive, Inc.'; // openfda/udi/udi-site-examples-coroent-00887517567062.json, company_name
const CONTEC_CISA = 'Contec Health'; // cisa/icsma-25-030-01.json, product_tree vendor
const CONTEC_FDA = 'Contec Medical Systems Co., Ltd.'; // K101692 applicant (data/sample/synthetic 510k file; public fact, see data/sample/README.md)
const AUDIO = 'AUDIO TECHNOLOGIES S.R.L.'; // openfda/510k/510k-K001142.response.json, applicant
const AUDIO_GARBLED = 'AUDIO TECHNOLOGIES S:R.1'; // same record, device_name
const GORE = 'W. L. Gore & Associates, Inc.'; // openfda/udi/gudid-xml-fixture-identifier-variants.xml, companyName
const ABBOTT = 'ABBOTT VASCULAR'; // openfda/event/event-site-examples-2024168-2012-02668.json, manufacturer_address_1
const ABBOTT_SITE = 'AV-TEMECULA-CT'; // same record, manufacturer_name (a site code for Abbott Vascular, Temecula)
const PURITAN = 'PURITAN BENNETT CORP.'; // openfda/510k/510k-regulation-868.5895-K920002.response.json, applicant
const COVIDIEN = 'Covidien LLC'; // openfda/enforcement/enforcement-Z-2958-2018-classII-ongoing-bis-monitor.response.json, recalling_firm
const MEDTRONIC = 'MEDTRONIC INC.'; // openfda/pma/pma-P960009-S210.response.json, applicant

/** Pairs of different firms, all REAL names, chosen because they share words. */
const DIFFERENT_FIRMS: [string, string, string][] = [
  ['American Contract Systems, Inc.', 'American Surgical Company', 'enforcement Z-0071-2023 / Z-1721-2016 recalling_firm'],
  ['Advanced Sterilization Products', 'American Surgical Company', 'enforcement Z-2338-2012 / Z-1721-2016'],
  ['Grace Medical, Inc.', 'Encore Medical, Lp', 'enforcement Z-2308-2026 / enforcement site example event 62561'],
  ['ICU Medical, Inc.', 'Encore Medical, Lp', 'enforcement-count-recalling-firm-top5 / event 62561'],
  ['GE OEC MEDICAL SYSTEMS INC.', 'Philips Medical Systems (Cleveland) Inc', 'event-1720753-2008-26826 manufacturer_d_name / enforcement-count-recalling-firm-top5'],
  ['Philips Medical Systems (Cleveland) Inc', CONTEC_FDA, 'enforcement-count-recalling-firm-top5 / K101692'],
  ['Contec Health', 'Dario Health', 'cisa icsma-25-030-01 / other-icsma-2025 vendors'],
  ['Qardio', 'Dario Health', 'cisa other-icsma-2025 vendors'],
  ['Spectranetics Corporation', 'Thoratec Corporation', 'gudid-xml-fixture-identifier-variants.xml companyName'],
  ['Covidien LLC', 'Conformis, Inc.', 'enforcement Z-2958-2018 / Z-0899-2022'],
  ['Zimmer, Inc.', 'Customed, Inc', 'enforcement-count-recalling-firm-top5'],
  ['Stryker Endoscopy', 'Zimmer, Inc.', 'enforcement-count-recalling-firm-top5'],
  [BD_BIOSCIENCES, 'American Contract Systems, Inc.', 'enforcement Z-1375-2015 / Z-0071-2023 (both "Systems")'],
];

/** One firm written two ways, where the check must see one firm without help from the alias table. */
const SAME_FIRM: [string, string, string][] = [
  [DIASORIN_REG, DIASORIN_OWNER, 'REAL: registration name vs owner/operator (case, "S.p.A" without its last dot)'],
  [DIASORIN_REG, DIASORIN_US, 'REAL: the Italian parent and its US subsidiary differ only in legal form'],
  [ARROW, ARROW_TEXT, 'REAL: recalling_firm vs the firm named in the recall action'],
  [ARROW, ARROW_ABBR, 'REAL abbreviation (SOURCES.md): "Intl"'],
  [CONTEC_FDA, CONTEC_CISA, 'REAL: FDA applicant vs CISA vendor, differing only in generic words'],
  [NUVASIVE, 'NuVasive Incorporated', 'CONSTRUCTED: the brief\'s example; "Incorporated" spelled out'],
  [BD, 'BECTON, DICKINSON AND COMPANY', 'CONSTRUCTED: BD\'s legal name, "&"/"and", "Co."/"Company"'],
  [GORE, 'W.L. Gore & Associates', 'CONSTRUCTED: initials without the space'],
  [GORE, 'WL Gore and Associates Inc', 'CONSTRUCTED: initials run together'],
  [NUVASIVE, 'Nu Vasive', 'CONSTRUCTED: a split word'],
  ['Dräger Medical GmbH', 'Draeger Medical', 'CONSTRUCTED: German transliteration ä → ae; scores exactly the threshold'],
];

describe('the similarity threshold on real firm-name variants', () => {
  it.each(SAME_FIRM)('%j ≈ %j (%s)', (a, b) => {
    expect(firmSimilarity(a, b)).toBeGreaterThanOrEqual(SIMILARITY_THRESHOLD);
    expect(isMatch(matchFirm(a, b))).toBe(true);
    expect(isMatch(matchFirm(b, a))).toBe(true);
  });

  it.each(DIFFERENT_FIRMS)('%j ≠ %j (%s)', (a, b) => {
    expect(firmSimilarity(a, b)).toBeLessThan(SIMILARITY_THRESHOLD);
    expect(matchFirm(a, b)).toMatchObject({ kind: 'none' });
  });

  it('the threshold sits in the gap between real variants and real different firms, with margin on both sides', () => {
    const real = SAME_FIRM.filter(([, , why]) => why.startsWith('REAL'));
    const lowestSame = Math.min(...real.map(([a, b]) => firmSimilarity(a, b)));
    const highestDifferent = Math.max(...DIFFERENT_FIRMS.map(([a, b]) => firmSimilarity(a, b)));
    expect(highestDifferent).toBeLessThan(0.7); // "American Contract Systems" / "American Surgical" ≈ 0.67
    expect(lowestSame).toBeGreaterThan(0.9); // "Arrow Intl", "Contec Health" score 0.95
    expect(SIMILARITY_THRESHOLD).toBeGreaterThan(highestDifferent);
    expect(SIMILARITY_THRESHOLD).toBeLessThan(lowestSame);
  });

  it('a slip in a long distinctive word passes; in a short one it may not (deliberately strict); another word never', () => {
    expect(isMatch(matchFirm('Nuvasiv Inc', NUVASIVE))).toBe(true);
    expect(isMatch(matchFirm('Puritan Benett', PURITAN))).toBe(true);
    // A transposition breaks two bigrams of eight: 0.67. The claim is rejected and a person looks.
    expect(firmSimilarity('Covidein', COVIDIEN)).toBeLessThan(SIMILARITY_THRESHOLD);
    expect(isMatch(matchFirm('Conformis', COVIDIEN))).toBe(false);
  });

  it('a claim of generic words only matches nobody', () => {
    for (const [firm] of DIFFERENT_FIRMS) expect(isMatch(matchFirm('Medical Systems, Inc.', firm))).toBe(false);
    expect(isMatch(matchFirm('Health', CONTEC_CISA))).toBe(false);
  });

  it('reports the score it compared, rounded, and the candidate', () => {
    expect(matchFirm(ARROW_ABBR, ARROW)).toEqual({ kind: 'similar', name: ARROW, score: 0.95 });
    expect(matchFirm('American Contract Systems', 'American Surgical Company')).toEqual({ kind: 'none', best: { name: 'American Surgical Company', score: 0.67 } });
    expect(matchFirm('!!!', ARROW)).toEqual({ kind: 'none' });
  });
});

describe('what similarity alone does not (and should not) join: the alias table\'s job', () => {
  it.each([
    [BD, BD_BIOSCIENCES, 'a division under an abbreviation of the parent'],
    [ARROW, TELEFLEX, 'a subsidiary and its parent'],
    [ABBOTT, ABBOTT_SITE, 'a firm and its MDR site code'],
    [PURITAN, COVIDIEN, 'an acquired firm and its acquirer'],
    [AUDIO, AUDIO_GARBLED, 'a garbled copy in a device_name field (the check never compares device names with firms)'],
    ['Stryker Endoscopy', 'Stryker', 'CONSTRUCTED short parent name for a REAL division name (enforcement-count-recalling-firm-top5)'],
  ])('%j / %j: %s', (a, b) => {
    expect(isMatch(matchFirm(a, b))).toBe(false);
  });
});

describe('aliases', () => {
  // Organisation-maintained entries; the names are REAL (files above), the relations public knowledge.
  const aliases: Alias[] = [
    { name: BD_BIOSCIENCES, aliasOf: 'Becton, Dickinson and Company', note: 'division' },
    { name: ARROW, aliasOf: 'Teleflex Incorporated', note: 'subsidiary (acquired 2007)' },
    { name: PURITAN, aliasOf: COVIDIEN, note: 'acquired' },
    { name: 'Tyco Healthcare Group LP', aliasOf: COVIDIEN, note: 'renamed 2007' },
    { name: COVIDIEN, aliasOf: MEDTRONIC, note: 'acquired 2015' },
  ];

  it('parent ↔ subsidiary, in both directions, whatever the spelling of either side', () => {
    expect(matchFirm('Becton Dickinson & Co.', BD_BIOSCIENCES, aliases)).toMatchObject({ kind: 'alias', name: BD_BIOSCIENCES });
    expect(matchFirm('BD Biosciences Systems and Reagents', 'BECTON, DICKINSON AND COMPANY', aliases)).toMatchObject({ kind: 'alias' });
    expect(matchFirm('TELEFLEX INC', ARROW, aliases)).toMatchObject({ kind: 'alias', name: ARROW });
    expect(matchFirm('Arrow International, Inc.', 'Teleflex', aliases)).toMatchObject({ kind: 'alias' });
  });

  it('a renamed firm', () => {
    expect(matchFirm('Tyco Healthcare Group', 'COVIDIEN', aliases)).toMatchObject({ kind: 'alias', via: COVIDIEN });
  });

  it('transitively: Puritan Bennett → Covidien → Medtronic, and back', () => {
    expect(isMatch(matchFirm('Medtronic', PURITAN, aliases))).toBe(true);
    expect(isMatch(matchFirm('Puritan-Bennett Corporation', 'Medtronic, Inc.', aliases))).toBe(true);
    expect(matchFirm('Tyco Healthcare Group', 'Puritan Bennett', aliases)).toMatchObject({ kind: 'alias' });
  });

  it('a claim similar to (not equal to) an alias entry enters the table', () => {
    // "Tyco Healthcare" ≈ "Tyco Healthcare Group LP" (0.95): the claim reaches Covidien, then Puritan Bennett.
    expect(matchFirm('Tyco Healthcare', 'Covidien', aliases)).toMatchObject({ kind: 'alias' });
    expect(isMatch(matchFirm('Tyco Healthcare', 'Puritan Bennett', aliases))).toBe(true);
  });

  it('aliases do not leak to unrelated firms', () => {
    expect(isMatch(matchFirm('Medtronic', ARROW, aliases))).toBe(false);
    expect(isMatch(matchFirm('Teleflex', BD_BIOSCIENCES, aliases))).toBe(false);
  });

  it('the transitive closure is bounded at four hops (a cycle or a long chain cannot run away)', () => {
    const words = ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo', 'Foxtrot'].map((w) => `${w} Devices`);
    const chain: Alias[] = words.slice(1).map((w, i) => ({ name: words[i] as string, aliasOf: w }));
    expect(isMatch(matchFirm('Alpha Devices', 'Echo Devices', chain))).toBe(true);
    expect(isMatch(matchFirm('Alpha Devices', 'Foxtrot Devices', chain))).toBe(false);
    const cycle: Alias[] = [...chain, { name: 'Foxtrot Devices', aliasOf: 'Alpha Devices' }];
    expect(isMatch(matchFirm('Alpha Devices', 'Foxtrot Devices', cycle))).toBe(true);
    expect(matchFirm('Alpha Devices', 'Zulu Instruments', cycle)).toMatchObject({ kind: 'none' });
  });
});

describe('normalisation: diacritics and legal suffixes', () => {
  it.each([
    [DIASORIN_REG, 'diasorin'],
    [DIASORIN_OWNER, 'diasorin'],
    [AUDIO, 'audio technologies'],
    [PURITAN, 'puritan bennett'],
    [MEDTRONIC, 'medtronic'],
    [GORE, 'w l gore and associates'],
    ['PULMODYNE INC', 'pulmodyne'], // REAL: gudid-xml-fixture-identifier-variants.xml
    ['Encore Medical, Lp', 'encore medical'], // REAL: enforcement site example event 62561
    // CONSTRUCTED spellings of legal forms
    ['Dräger Medical GmbH', 'drager medical'],
    ['Drägerwerk AG & Co. KGaA', 'dragerwerk'],
    ['Weinmann Emergency GmbH + Co. KG', 'weinmann emergency'],
    ['GIMA S.p.A.', 'gima'],
    ['GIMA S. p. A.', 'gima'],
    ['Gima SpA', 'gima'],
    ['Audio Technologies S. R. L.', 'audio technologies'],
    ['Contec Medical Systems Co.,Ltd', 'contec medical systems'],
    ['Shenzhen Mindray Bio-Medical Electronics Co., Ltd.', 'shenzhen mindray bio medical electronics'],
    ['Ambu A/S', 'ambu'],
    ['Medline Polska Sp. z o.o.', 'medline polska'],
    ['Biosense S.à r.l.', 'biosense'],
    ['Equipos Médicos S.A. de C.V.', 'equipos medicos'],
    ['Terumo K.K.', 'terumo'],
    ['Össur hf.', 'ossur hf'],
    ['Brüel & Kjær', 'bruel and kjaer'],
    ['Großmann Medizintechnik GmbH', 'grossmann medizintechnik'],
    ['Hôpital Médical Société', 'hopital medical societe'],
  ])('%j → %j', (name, normalised) => {
    expect(normalizeFirmName(name)).toBe(normalised);
  });

  it('strips legal words only at the end, and never the whole name', () => {
    expect(normalizeFirmName('Co-Diagnostics, Inc.')).toBe('co diagnostics');
    expect(normalizeFirmName('AG Industries')).toBe('ag industries');
    expect(normalizeFirmName('S.A.')).toBe('sa');
    expect(normalizeFirmName('Johnson & Johnson')).toBe('johnson and johnson');
  });

  it('diacritics and transliterations meet', () => {
    expect(isMatch(matchFirm('Brüel & Kjær', 'BRUEL AND KJAER A/S'))).toBe(true);
    expect(isMatch(matchFirm('Großmann Medizintechnik', 'GROSSMANN MEDIZINTECHNIK GMBH'))).toBe(true);
  });

  it('distinctive words drop the generic ones', () => {
    expect(distinctiveWords(CONTEC_FDA)).toEqual(['contec']);
    expect(distinctiveWords('ICU Medical, Inc.')).toEqual(['icu']);
    expect(distinctiveWords('Medical Systems Inc')).toEqual([]);
  });
});
