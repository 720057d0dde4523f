import { describe, expect, it } from 'vitest';
import { createDetector } from '../../../utils/detection/detector.ts';
import { tokenize } from '../../../utils/detection/normalize.ts';

/**
 * Rule packs on their own (no learned model): words they must catch and ordinary words they must leave alone.
 * Sentences written for these tests, not taken from any data set. The must-not-match rows are the collisions
 * found when checking the packs: folding collapses doubled letters ("ass" → "as", "coon" → "con"), Turkish
 * phrases had been split into single ordinary words ("lanet olası" → "olası" = probable, "it oğlu it" → "oğlu"),
 * and stems swallowed ordinary words ("adi*" → adı, adil; "alçak*" → alçakgönüllü).
 */
const rulesOnly = createDetector({ model: null });

function ruleIds(text: string, lang: string): string[] {
  return rulesOnly.detect(text, { lang }).reasons.filter((r) => r.kind === 'rule').map((r) => r.ruleId ?? '');
}

/** [lang, text, rule id that must match] */
const MUST_MATCH: Array<[string, string, string]> = [
  ['en', 'kiss my ass', 'en.profanity.mild'],
  ['en', 'this is a pain in the ass', 'en.profanity.mild'],
  ['tr', 'it oğlu it', 'tr.insult.vulgar'],
  ['tr', 'seni adi herif', 'tr.insult.vulgar'],
  ['tr', 'sen köpeksin', 'tr.insult.vulgar'],
  ['tr', 'lanet olası herif', 'tr.profanity.general'],
  ['it', 'sei proprio un pirla', 'it.insult.fool'],
  ['it', 'sei un cialtrone', 'it.insult.fool'],
  ['it', 'che cazzone che sei', 'it.insult.vulgar'],
  ['it', 'mi hai rotto le palle', 'it.profanity.general'],
  ['it', 'vergognati', 'it.dismissal.shut'],
  ['ru', 'ты просто сволочь', 'ru.insult.vulgar'],
  ['ru', 'гнать этого подонка', 'ru.insult.vulgar'],
  ['ru', 'какой же ты дегенерат', 'ru.insult.fool'],
  ['ru', 'ты тупого не строй', 'ru.insult.fool'],
  ['ru', 'пиндосы опять за своё', 'ru.identity.slur'],
  ['ru', 'подохни уже', 'ru.threat.kill'],
];

/** [lang, ordinary text that no rule may match] */
const MUST_NOT_MATCH: Array<[string, string]> = [
  ['en', 'I see it as a good source, as agreed on the talk page.'],
  ['en', 'The pros and cons of the merge are listed below.'],
  ['tr', 'Makalenin adı değişmeli, adil bir başlık olsun.'],
  ['tr', 'Bu olası bir hata, kaynak ekledim.'],
  ['tr', 'Ahmet oğlu Mehmet hakkında bir madde.'],
  ['tr', 'Alçak basınç alanı ve alçakgönüllü bir yazar.'],
  ['tr', 'Geri dönme kararı tartışma sayfasında alındı.'],
  ['tr', 'Köpek ırkları hakkında yeni bir bölüm ekledim.'],
  ['tr', 'Zenci müziğinin tarihi üzerine bir madde.'],
  ['it', 'Secondo me il paragrafo va rivisto con una fonte.'],
  ['ru', 'Будем гадать, что имел в виду автор статьи.'],
  ['ru', 'Он дописал статью, и обсуждение кончено.'],
  ['ru', 'Твёрдая позиция автора понятна.'],
];

describe('rule packs on their own', () => {
  it.each(MUST_MATCH)('[%s] %s → %s', (lang, text, id) => {
    expect(ruleIds(text, lang)).toContain(id);
  });

  it.each(MUST_NOT_MATCH)('[%s] no rule matches %s', (lang, text) => {
    expect(ruleIds(text, lang)).toEqual([]);
  });
});

describe('negation stays inside its clause', () => {
  /** [lang, text, rule id, negated?] */
  const cases: Array<[string, string, string, boolean]> = [
    ['en', 'You are not an idiot.', 'en.insult.fool', true],
    ['en', 'No, you are an idiot.', 'en.insult.fool', false],
    ['en', 'I do not agree, idiot.', 'en.insult.fool', false],
    ['es', 'No eres un idiota.', 'es.insult.fool', true],
    ['es', 'No, eres un idiota.', 'es.insult.fool', false],
    ['ru', 'Ты не дурак.', 'ru.insult.fool', true],
    ['ru', 'Так это не фантазии, дебил.', 'ru.insult.fool', false],
  ];
  it.each(cases)('[%s] %s', (lang, text, id, negated) => {
    const reason = rulesOnly.detect(text, { lang }).reasons.find((r) => r.ruleId === id);
    expect(reason).toBeDefined();
    expect(reason!.label.includes('negated')).toBe(negated);
  });

  /** [lang, text, evidence next to a learned model is zero?] */
  const evidence: Array<[string, string, boolean]> = [
    ['es', 'No eres un idiota.', true],
    ['en', 'You are not an idiot.', true],
    ['ru', 'Ты не дурак.', true],
    ['es', 'eres un idiota', false],
    // A negation nearby without a person word is not a negated address: it keeps its lowered weight.
    ['es', 'no sabes nada idiota', false],
  ];
  it.each(evidence)('[%s] rule evidence of %s is zero: %s', (lang, text, zero) => {
    const r = rulesOnly.ruleEvidence(text, { lang });
    if (zero) expect(r).toBe(0);
    else expect(r).toBeGreaterThan(0);
  });

  it('marks the first token after a comma, colon, bracket or dash as a clause start', () => {
    const starts = (text: string): boolean[] => tokenize(text).map((t) => t.clauseStart);
    expect(starts('no, you are')).toEqual([true, true, false]);
    expect(starts('fine: ok (yes) — no')).toEqual([true, true, true, true]);
    expect(starts('not so bad')).toEqual([true, false, false]);
  });
});
