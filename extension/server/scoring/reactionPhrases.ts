// Phrase tables for reading the user's next message as a reaction to the previous answer, in
// English, Chinese (simplified and traditional), Spanish, French and German. They are hand-written
// and cover the common, short ways people say "that worked" or "that is wrong" to an assistant;
// they do not understand irony, long explanations or other languages (an unmatched message reads as
// "moved on", which the fitted model weighs modestly). A table is a list of [language, pattern].
//
// Chinese has no word boundaries, so its patterns are plain substrings; the others use \b, which
// unicodeWords() turns into a Unicode-aware boundary (JavaScript's own \b treats "é" or "ü" as a
// non-letter, so "funcionó" or "génial" would never match at their end).

import { unicodeWordRegExp } from './unicodeWords';

export type PhraseTable = ReadonlyArray<readonly [lang: 'en' | 'zh' | 'es' | 'fr' | 'de', pattern: RegExp]>;

function unicodeWords(table: PhraseTable): PhraseTable {
  return table.map(([lang, re]) => [lang, unicodeWordRegExp(re)] as const);
}

/** "Thanks, works", "perfect": the answer did what was asked. Matched at the start of the message,
 *  or as a "works now" phrase anywhere in its head. */
export const ACCEPTANCE: PhraseTable = unicodeWords([
  ['en', /^\W*(?:thanks|thank you|thx|ty|great|perfect|awesome|excellent|nice|cool|lgtm|brilliant|amazing|exactly|good job|well done)\b/i],
  ['en', /\b(?:that|it|this)\s+(?:works|worked|fixed it|did it|did the trick|solved it)\b/i],
  ['en', /\bworks (?:now|perfectly|great|fine)\b|\blooks (?:good|great)\b|\ball (?:the )?tests? (?:pass|passed|passing|are green)\b/i],
  ['zh', /^\W*(?:谢谢|謝謝|感谢|感謝|多谢|多謝|完美|太好了|好的，?谢|很好|不错|不錯|棒)/],
  ['zh', /(?:可以了|成功了|解决了|解決了|能用了|好用了|没问题了|沒問題了|搞定了|正常了|跑通了)/],
  ['es', /^\W*(?:gracias|perfecto|genial|excelente|muy bien|buen trabajo|estupendo)\b/i],
  ['es', /\b(?:ya funciona|funciona (?:bien|perfecto|perfectamente)|eso funcion[óo]|funcion[óo])\b/i],
  ['fr', /^\W*(?:merci|parfait|super|génial|excellent|nickel|top|bravo|impeccable|très bien)\b/i],
  ['fr', /\b(?:ça|cela|ca) (?:marche|fonctionne|a marché|a fonctionné)\b/i],
  ['de', /^\W*(?:danke|perfekt|super|prima|toll|sehr gut|klasse|top|spitze)\b/i],
  ['de', /\b(?:funktioniert (?:jetzt|wieder|super|gut)|es funktioniert|klappt(?: jetzt)?|das passt)\b/i],
]);

/** The answer was wrong, did not work, or must be undone. */
export const CORRECTION: PhraseTable = unicodeWords([
  ['en', /\bstill\s+(?:fail\w*|broken|crash\w*|erroring|wrong|the same|happening|not\s+\w+|doesn'?t\s+\w+|does not\s+\w+|get(?:ting)?\s+(?:the|an?|this)?\s*(?:same\s+)?(?:error|exception|failure|issue))/i],
  ['en', /\b(?:that|this|it)(?:'s|\s+is|\s+was)\s+(?:wrong|incorrect|not right|not what)/i],
  ['en', /\bnot what i (?:asked|wanted|meant|need)/i],
  // "X doesn't work" alone is often a fresh bug report, so the present tense needs a subject that
  // points back at the answer; the past tense ("didn't work") almost always does.
  ['en', /\b(?:it|this|that|still|your (?:fix|change|code|solution|answer|suggestion))\s+(?:doesn'?t|does not|won'?t|will not|isn'?t|is not)\s+(?:work|compile|build|run|help|fix|solve|pass|load|start)\w*/i],
  ['en', /\b(?:didn'?t|did not)\s+(?:work|help|fix|solve|change anything)\b/i],
  ['en', /\bsame (?:error|problem|issue|exception|failure|result|bug)\b/i],
  ['en', /\b(?:you|it|this|that)\s+(?:broke|has broken|just broke)\b|\bnow (?:it|this|everything)(?:'s|\s+is)\s+broken\b|\b(?:made it|makes it|is) worse\b/i],
  ['en', /\b(?:revert|roll\s*back)\b|\bundo (?:that|this|it|your|the (?:last )?change)|\bput it back\b/i],
  ['en', /\b(?:fails|failed|failing|errors?|crash(?:es|ed)?) again\b|\byou (?:forgot|missed|ignored|misunderstood|broke)\b/i],
  ['en', /^\s*(?:no|nope|wrong)\b[\s,.!]|^\s*(?:not just|not only)\b/i],
  ['zh', /(?:不对|不對|错了|錯了|不是这样|不是這樣|还是不行|還是不行|还是报错|還是報錯|还是错|又报错|又報錯|没用|沒用|没有解决|沒有解決|不是我要的|撤销|撤銷|回滚|回滾|改回去|不行|没效果|沒效果|同样的错误|同樣的錯誤)/],
  ['es', /\b(?:no funciona|sigue sin funcionar|sigue fallando|todav[ií]a falla|est[áa] mal|es incorrecto|no es lo que|mismo error|deshaz|revierte|no sirve|no ha funcionado|no funcion[óo])\b/i],
  ['es', /^\s*(?:no|incorrecto)\b[\s,.!]|^\s*no (?:solo|s[óo]lo)\b/i],
  ['fr', /(?:ça|ca|cela) ne (?:marche|fonctionne) (?:pas|toujours pas)|\btoujours (?:pas|la même erreur|le même problème|en erreur)|\bc'est faux\b|\bce n'est pas (?:ce que|ça|correct)|\bmême erreur\b|\bannule\b|\breviens en arrière\b/i],
  ['fr', /^\s*(?:non|faux)\b[\s,.!]|^\s*ne \w+ pas (?:juste|seulement)\b|\bpas (?:juste|seulement) les\b/i],
  ['de', /\b(?:funktioniert (?:immer noch )?nicht|geht (?:immer noch )?nicht|klappt nicht|immer noch (?:falsch|kaputt|der gleiche|derselbe|nicht)|das ist falsch|stimmt nicht|nicht das,? was|gleicher fehler|selber fehler|derselbe fehler|r[üu]ckg[äa]ngig|mach das r[üu]ckg[äa]ngig)\b/i],
  ['de', /^\s*(?:nein|falsch)\b[\s,.!]|^\s*nicht nur\b/i],
]);

/** Dissatisfaction with how the assistant behaved ("I told you...", "why did you..."). */
export const COMPLAINT: PhraseTable = unicodeWords([
  ['en', /\b(?:i (?:told|asked) you|i said|why did you|why would you|you didn'?t (?:listen|read|follow)|you were supposed to|you should have|stop (?:doing|changing|adding)|this is useless|come on)\b/i],
  ['zh', /(?:我说了|我說了|我告诉过你|我告訴過你|为什么你|為什麼你|你怎么|你怎麼|你应该|你應該|你没有|你沒有|别再|別再)/],
  ['es', /\b(?:te dije|te ped[íi]|por qu[ée] (?:hiciste|has)|deber[íi]as haber|no me hiciste caso|deja de)\b/i],
  ['fr', /\b(?:je t'ai dit|je t'avais dit|je t'ai demandé|pourquoi (?:tu|as-tu)|tu (?:aurais|auras|aurait) (?:dû|pu)|tu n'as (?:pas|toujours pas)|arrête de)\b/i],
  ['de', /\b(?:ich (?:habe|hab) (?:dir )?(?:gesagt|doch gesagt)|warum hast du|du h[äa]ttest|du solltest|h[öo]r auf)\b/i],
]);
