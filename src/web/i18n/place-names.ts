/** How each language's own name of a place is told apart among its aliases: by its script. */
const SCRIPT: Record<string, RegExp> = {
  zh: /\p{Script=Han}/u,
  ru: /\p{Script=Cyrillic}/u,
  kk: /\p{Script=Cyrillic}/u,
  ka: /\p{Script=Georgian}/u,
  // Azerbaijani's own letter (Ələt, Gəncə), so that an English or Turkish alias is not taken
  // for it.
  az: /[əƏ]/u,
};
/** Letters of Azerbaijani Latin beyond English (Bakı): its name for a place in Azerbaijan. */
const AZERBAIJANI = /[əƏıİşŞğĞçÇöÖüÜ]/u;
/** Kazakh's own Cyrillic letters (Ақтау, Құрық): a name with one is Kazakh rather than Russian. */
const KAZAKH = /[әғқңөұүһіӘҒҚҢӨҰҮҺІ]/u;

/**
 * A place's short name in the user's language: the first of its aliases (data/nodes.json, each
 * with its source) in the language's script — 巴库 for Baku, Актау, თბილისი — and for Kazakh one
 * with Kazakh letters before a Russian one. Where the data has none, the first alias, as in
 * English (Baku, Aktau).
 */
export function placeShortName(
  language: string,
  node: { name: string; aliases: readonly string[]; country?: string },
): string {
  const script = language === 'az' && node.country === 'AZ' ? AZERBAIJANI : SCRIPT[language];
  const own = script ? node.aliases.filter((a) => script.test(a)) : [];
  const kazakh = language === 'kk' ? own.find((a) => KAZAKH.test(a)) : undefined;
  return kazakh ?? own[0] ?? node.aliases[0] ?? node.name;
}
