// The assistant's own admission that it did not do what was asked ("I could not", "I was unable
// to", "please add the file to the chat so I can..."), in English, Chinese, Spanish, French and
// German. An admission is failure evidence. The reverse is deliberately NOT read: "Done! This works"
// is the assistant praising itself, which says nothing about whether it worked.
// The tables cover first-person statements of inability and Aider's "add these files to the chat"
// refusal; they miss hedged or indirect admissions ("this may not fully address...").

import { unicodeWordRegExp } from './unicodeWords';

const words = (source: string): RegExp => unicodeWordRegExp(new RegExp(source, 'i'));

const ADMISSIONS: ReadonlyArray<readonly [string, RegExp]> = [
  ['en', words(String.raw`\bI(?:'m|’m)? (?:could not|couldn['’]?t|was unable to|am unable to|unable to|was not able to|wasn['’]?t able to|am not able to|not able to|cannot|can['’]?t|failed to|don['’]?t have access to|do not have access to)\b(?! (?:help|wait|stress|recommend|emphasi[sz]e)\b)`)],
  ['en', words(String.raw`\b(?:unfortunately|sorry),? (?:I|it|this|the)\b|\bI apologi[sz]e\b`)],
  ['en', words(String.raw`\b(?:please )?add (?:the |these |this |those |the following |that )?(?:files?|them|it|\x60[^\x60]+\x60|\S+\.\w{1,5})(?: files?)? to the chat\b`)],
  ['zh', /(?:我无法|我無法|我不能|我没能|我沒能|无法完成|無法完成|未能|没能成功|沒能成功|抱歉|很遗憾|很遺憾|我做不到|失败了|失敗了)/u],
  ['es', words(String.raw`\b(?:no pude|no puedo|no he podido|no fue posible|no es posible|no logr[ée]|lamentablemente|desafortunadamente|lo siento)\b`)],
  ['fr', words(String.raw`\b(?:je n'ai pas pu|je ne peux pas|je ne suis pas en mesure|je suis incapable|impossible de|j'ai (?:totalement |complètement )?échoué|je n'arrive pas|malheureusement|désolé)\b`)],
  ['de', words(String.raw`\b(?:ich konnte (?:\S+ ){0,3}nicht|ich kann (?:\S+ ){0,3}nicht|es ist mir nicht gelungen|nicht möglich|leider|es tut mir leid)\b`)],
];

/** Every admission above contains one of these stems: one cheap pass rules most answers out before
 *  the precise patterns run (keep it in step with ADMISSIONS). */
const STEMS = /could|unable|not able|n'?t able|cannot|can'?t|failed|have access|unfortunately|sorry|apologi|to the chat|无法|無法|不能|没能|沒能|未能|抱歉|遗憾|遺憾|做不到|失败|失敗|no pu|podido|posible|logr|lamentablemente|desafortunadamente|siento|pas pu|peux pas|en mesure|incapable|impossible|échoué|arrive pas|malheureusement|désolé|konnte|kann|gelungen|möglich|leider|tut mir leid/i;

/** Long answers are read at their start and end, where refusals and conclusions live. */
const HEAD = 6000;
const TAIL = 4000;

export interface Admission { phrase: string; lang: string }

export function responseAdmission(response: string): Admission | undefined {
  const text = response.length <= HEAD + TAIL ? response : `${response.slice(0, HEAD)}\n${response.slice(-TAIL)}`;
  if (!STEMS.test(text)) return undefined;
  for (const [lang, pattern] of ADMISSIONS) {
    const m = pattern.exec(text);
    if (m) return { phrase: m[0].trim(), lang };
  }
  return undefined;
}
