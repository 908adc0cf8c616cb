/**
 * Identifiers named in recall free text (`code_info`, `more_code_info`, `product_description`).
 *
 * FDA recall text prints DIs in many ways:
 *  - GS1 element strings: `UDI code: (01)00844505000772(10)122927(17)310301` (Z-2308-2026), or unbracketed
 *    `0100844505000772…`;
 *  - labelled DIs: `UDI/DI: 00191072179593` (Z-1973-2023), `UDI-Device Identifier (GTIN/UPN): 10884521130319`
 *    (Z-2958-2018), `UDI: M572TPS3011113011` (HIBCC, Z-0899-2022);
 *  - bare 14-digit runs, and 13-digit DIs printed without the leading zero (`7290013030269` for
 *    `07290013030269`, the subject of recall Z-1817-2022).
 * GTINs are returned as 14 digits with a valid check digit; non-GS1 DIs (HIBCC) are returned as printed.
 * Lots and serial numbers named after a `Lot`/`Batch`/`Serial` label are collected too, plus any GS1 (10)/(21).
 */
import { toGtin14 } from '../normalize.js';

export interface TextIdentifiers {
  /** Device identifiers: GTIN-14 (normalised) or HIBCC/other DIs as printed. Sorted, unique. */
  dis: string[];
  /** Lot/batch numbers named in the text. Sorted, unique, as printed (upper-cased). */
  lots: string[];
  /** Serial numbers named in the text. Sorted, unique, as printed (upper-cased). */
  serials: string[];
}

/** Words that end a lot/serial list (the next field of the free text begins). */
const STOP_WORD =
  /\b(?:exp(?:iry|iration)?(?:\s+date)?|use\s+by|ref(?:erence)?|serial|s\/n|sn|udi|model|catalog(?:ue)?|cat|product|part|upn|gtin|di|item|sku|mfg|manufactur\w*|lot|lots|batch|batches|date|qty|quantity|size|description|code|codes|all)\b|[;\n\r]|\.\s/i;

const LOT_LABEL = /\b(?:lot|batch)(?:\s*\/\s*(?:lot|batch))?(?:\s*(?:numbers?|nos?\.?|#|codes?|ids?))?s?\s*(?:[:#.=]|\s)\s*/gi;
const SERIAL_LABEL = /\b(?:serial(?:\s*(?:numbers?|nos?\.?|#))?s?|s\/n|sn)\s*(?:[:#.=]|\s)\s*/gi;

function listAfterLabels(text: string, label: RegExp): string[] {
  const out: string[] = [];
  label.lastIndex = 0;
  for (let m = label.exec(text); m !== null; m = label.exec(text)) {
    let rest = text.slice(m.index + m[0].length);
    // Skip a leading punctuation run ("Lot Number:/  2015/08 BH").
    // Parenthesised remarks ("(exp. 01/20/2023)") are dropped before looking for the end of the list.
    rest = rest.slice(0, 600).replace(/\([^)]*\)/g, ' ').replace(/^[\s:/#.=-]+/, '');
    const stop = STOP_WORD.exec(rest);
    const segment = stop ? rest.slice(0, stop.index) : rest;
    for (const raw of segment.split(/[,\s]+|\band\b|&/i)) {
      const token = raw.replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
      if (token.length < 3 || token.length > 30) continue;
      if (!/\d/.test(token)) continue;
      if (!/^[A-Za-z0-9][A-Za-z0-9\-/.]*$/.test(token)) continue;
      out.push(token.toUpperCase());
    }
  }
  return out;
}

/** Non-GS1 DI printed after a UDI label: letter-led, upper-case alphanumerics with digits (HIBCC style). */
function looksLikeHibccDi(token: string): boolean {
  return /^[A-Z][A-Z0-9]{3}[A-Z0-9]{1,18}[0-9]$/.test(token) && /\d/.test(token.slice(1));
}

const DI_LABEL =
  /\b(?:udi(?:[\s-]*(?:\/\s*)?di)?|device\s+identifier|primary\s+di|di|gtin|upn)\b(?:\s*\([^)]{0,30}\))?\s*(?:code|number|#)?\s*[:#=]\s*/gi;

/** Find every identifier in one or more free-text fields. */
export function extractTextIdentifiers(...texts: (string | undefined)[]): TextIdentifiers {
  const dis = new Set<string>();
  const lots = new Set<string>();
  const serials = new Set<string>();

  for (const text of texts) {
    if (text === undefined || text.length === 0) continue;

    // 1. GS1 element strings with brackets: (01)GTIN, then (10) lot / (21) serial in the same string.
    for (const m of text.matchAll(/\(01\)\s*(\d{14})((?:\s*\(\d{2,4}\)\s*[^\s(]+)*)/g)) {
      const g = toGtin14(m[1] as string);
      if (g !== undefined) dis.add(g);
      for (const ai of (m[2] ?? '').matchAll(/\((\d{2,4})\)\s*([^\s(]+)/g)) {
        if (ai[1] === '10') lots.add((ai[2] as string).toUpperCase());
        if (ai[1] === '21') serials.add((ai[2] as string).toUpperCase());
      }
    }

    // 2. Labelled DIs ("UDI/DI: …", "UDI-Device Identifier (GTIN/UPN): …", "GTIN: …").
    DI_LABEL.lastIndex = 0;
    for (let m = DI_LABEL.exec(text); m !== null; m = DI_LABEL.exec(text)) {
      const after = text.slice(m.index + m[0].length);
      const token = /^\+?([A-Za-z0-9]+)/.exec(after)?.[1];
      if (token === undefined) continue;
      if (/^\d+$/.test(token)) {
        // A GS1 element string without brackets: 01 + GTIN-14 (+ more AIs).
        const g = toGtin14(token) ?? (token.startsWith('01') && token.length >= 16 ? toGtin14(token.slice(2, 16)) : undefined);
        if (g !== undefined) dis.add(g);
      } else if (looksLikeHibccDi(token)) {
        dis.add(token);
      }
    }

    // 3. Bare digit runs: 14 digits with a valid check digit, 13 digits read as a GTIN printed without its
    //    leading zero, 16+ digits starting with AI 01.
    for (const m of text.matchAll(/(?<![0-9])\d{13,}(?![0-9])/g)) {
      const run = m[0];
      if (run.length === 14 || run.length === 13) {
        const g = toGtin14(run);
        if (g !== undefined) dis.add(g);
      } else if (run.startsWith('01') && run.length >= 16) {
        const g = toGtin14(run.slice(2, 16));
        if (g !== undefined) dis.add(g);
      }
    }

    for (const lot of listAfterLabels(text, LOT_LABEL)) lots.add(lot);
    for (const serial of listAfterLabels(text, SERIAL_LABEL)) serials.add(serial);
  }

  // A DI is not also a lot or a serial.
  for (const di of dis) {
    lots.delete(di);
    serials.delete(di);
  }
  return { dis: [...dis].sort(), lots: [...lots].sort(), serials: [...serials].sort() };
}
