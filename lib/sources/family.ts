/**
 * Family links: a CISA advisory names a model ("CMS8000 Patient Monitor"); FDA listings name the
 * proprietary names sold under a clearance (Contec's CMS8000, Epsimed's MN-120, both K101692). Both are
 * indexed under model-token partitions (`MODEL#cms8000`); where an advisory and a listing share a token,
 * the advisory is linked to the listing's submission (`SUB#K101692` / `ADV#…`), so one read of a
 * clearance family brings every advisory of every name it is sold under — relabels included.
 */
import type { BaseItem } from '../domain/item.js';
import { ref } from '../store/keys.js';
import { sealItem } from './item.js';

const SUMMARY = ['id', 'version', 'title', 'currentReleaseDate', 'vendors', 'productNames', 'cves', 'maxBaseScore'] as const;

/** Derived `advisory-ref` items under submissions, from advisory-refs and listing-refs sharing a model partition. */
export function familyAdvisoryRefs(items: readonly BaseItem[]): BaseItem[] {
  const byToken = new Map<string, { advisories: BaseItem[]; listings: BaseItem[] }>();
  for (const item of items) {
    if (!item.pk.startsWith('MODEL#')) continue;
    const group = byToken.get(item.pk) ?? { advisories: [], listings: [] };
    if (item.entity === 'advisory-ref') group.advisories.push(item);
    else if (item.entity === 'listing-ref') group.listings.push(item);
    byToken.set(item.pk, group);
  }
  const out = new Map<string, BaseItem>();
  for (const [pk, { advisories, listings }] of byToken) {
    const token = pk.slice('MODEL#'.length);
    for (const listing of listings) {
      const submissions = [listing.kNumber, listing.pmaNumber].filter((s): s is string => typeof s === 'string' && s !== '');
      for (const sub of submissions) {
        for (const adv of advisories) {
          const key = `${ref.submissionPartition(sub)}|${ref.advisoryRefSk(String(adv.id))}`;
          const prev = out.get(key);
          // Newest version wins when several tokens or versions meet.
          if (prev && Number(prev.version ?? 0) >= Number(adv.version ?? 0)) continue;
          const summary = Object.fromEntries(SUMMARY.map((k) => [k, adv[k]]));
          out.set(
            key,
            sealItem({ pk: ref.submissionPartition(sub), sk: ref.advisoryRefSk(String(adv.id)) }, 'advisory-ref', adv.source, adv.sourceDate, {
              ...summary,
              matchedBy: 'family-model',
              matchedValue: token,
              viaFirm: listing.firmName,
              viaNames: listing.proprietaryNames,
            }),
          );
        }
      }
    }
  }
  return [...out.values()].sort((a, b) => (a.pk + a.sk < b.pk + b.sk ? -1 : 1));
}
