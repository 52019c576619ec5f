// `autodidact.categories.extra`: user categories ([{ name, keywords }]) added to the taxonomy. A
// name that matches a built-in category extends its keywords instead of duplicating it. Bad entries
// are skipped with a message (settings are hand-edited JSON); the good ones still apply.
import { BUILT_IN_CATEGORIES, FALLBACK_CATEGORY, type CategoryDefinition } from './categoryTaxonomy';

export interface ExtraCategorySetting {
  name: string;
  keywords: string[];
}

export interface Taxonomy {
  categories: CategoryDefinition[];
  /** One line per skipped setting entry, for the log and the panel. */
  problems: string[];
}

export function buildTaxonomy(extra: unknown = []): Taxonomy {
  const categories = BUILT_IN_CATEGORIES.map((c) => ({ ...c, keywords: [...c.keywords] }));
  const problems: string[] = [];
  const added: CategoryDefinition[] = [];
  if (!Array.isArray(extra)) {
    return { categories, problems: ['autodidact.categories.extra must be an array of { name, keywords }'] };
  }
  extra.forEach((entry: unknown, index) => {
    const where = `autodidact.categories.extra[${index}]`;
    if (typeof entry !== 'object' || entry === null) { problems.push(`${where} is not an object`); return; }
    const { name, keywords } = entry as Partial<ExtraCategorySetting>;
    if (typeof name !== 'string' || name.trim() === '') { problems.push(`${where}.name must be a non-empty string`); return; }
    if (!Array.isArray(keywords)) { problems.push(`${where}.keywords must be an array of strings`); return; }
    const words = keywords.filter((k): k is string => typeof k === 'string' && k.trim() !== '').map((k) => k.trim());
    if (words.length === 0) { problems.push(`${where} (${name}) has no keywords`); return; }
    if (name.trim().toLowerCase() === FALLBACK_CATEGORY.toLowerCase()) { problems.push(`${where}: "${FALLBACK_CATEGORY}" is reserved`); return; }
    const existing = [...added, ...categories].find((c) => c.name.toLowerCase() === name.trim().toLowerCase());
    if (existing) {
      existing.keywords = [...new Set([...existing.keywords, ...words])];
      return;
    }
    // User categories go first: they are more specific to this user than the built-in ones.
    added.push({
      name: name.trim(),
      keywords: words,
      descriptions: [`Requests about ${name.trim()}: ${words.join(', ')}.`],
    });
  });
  return { categories: [...added, ...categories], problems };
}
