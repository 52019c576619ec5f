// The line under the Categories table that says how categories were found. When the sentence model is
// unavailable (not downloaded, offline, the ONNX runtime missing) categories come from keywords and
// file paths only, and are coarser: the panel says so rather than letting it pass unnoticed.
// No DOM here, so the wording is tested in Node (test/unit/panelData.test.ts).

export interface CategoryMethodLine { ruleBased: boolean; text: string }

export function categoryMethodLine(classifierMode: string | undefined): CategoryMethodLine | null {
  if (!classifierMode || classifierMode === 'starting') return null;
  if (classifierMode === 'embeddings') return { ruleBased: false, text: 'Categories: sentence embeddings and keyword rules.' };
  // `rules (<why>)`, as the categoriser reports it.
  const why = /^rules \((.*)\)$/s.exec(classifierMode)?.[1] ?? classifierMode;
  if (/^(loading embedding model|embedding model loads on first use)$/.test(why)) {
    return { ruleBased: true, text: 'Categories are rule-based (keywords and file paths) until the sentence model has loaded.' };
  }
  return { ruleBased: true, text: `Categories are rule-based (keywords and file paths only): ${why}.` };
}
