import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDetector, detect, hasLearnedModel, MAX_ANALYSED_LENGTH } from '../../../utils/detection/detector.ts';
import { DetectionResultSchema } from '../../../utils/detection/types.ts';

/** Sentences written for these tests (not taken from any data set). [lang, text] */
const MUST_FLAG: Array<[string, string]> = [
  ['en', 'You are a complete idiot.'],
  ['en', 'you stupid m0r0n'],
  ['en', 'shut up, nobody asked you'],
  ['en', 'I will kill you if you revert again'],
  ['en', 'go kill yourself'],
  ['en', 'dirty jews ruin every article'],
  ['en', 'I know where you live'],
  ['en', 'f*ck you'],
  ['en', 'you are an і d і о t'],
  ['ru', 'ты тупой дебил'],
  ['ru', 'заткнись, урод'],
  ['ru', 'я тебя убью'],
  ['ru', 'ты просто сволочь'],
  ['ru', 'Так это не фантазии, дебил.'],
  ['uk', 'ти ідіот'],
  ['ky', 'сен акмаксың'],
  ['es', 'eres un idiota'],
  ['es', 'cállate, imbécil'],
  ['it', 'sei un coglione'],
  ['it', 'vaffanculo'],
  ['it', 'sei un cialtrone e un pirla'],
  ['tr', 'sen tam bir aptalsın'],
  ['tr', 'seni öldürürüm'],
  ['tr', 'it oğlu it'],
  ['fr', 'ferme ta gueule, connard'],
  ['de', 'du bist ein Arschloch'],
  ['pl', 'ty debilu, spierdalaj'],
  ['ar', 'انت غبي يا حمار'],
  ['fa', 'خفه شو احمق'],
];

const MUST_NOT_FLAG: Array<[string, string]> = [
  ['en', 'Thanks for fixing the citation, I added a source.'],
  ['en', 'I am gay and a muslim, and I wrote this article.'],
  ['en', 'The black and white photo of the Jewish quarter is public domain.'],
  ['en', 'You are not an idiot, you just missed the source.'],
  ['en', 'I feel like an idiot for missing that.'],
  ['en', 'He wrote "you idiot" on my talk page, please look.'],
  ['en', '> you are an idiot\nPlease do not write like that.'],
  ['en', 'The film Kill Bill was released in 2003.'],
  ['en', 'I see it as a good source, as agreed.'],
  ['ru', 'Спасибо за правку, источник добавлен.'],
  ['ru', 'Он гей и мусульманин, это не важно для статьи.'],
  ['ru', 'Ты не дурак, просто ошибся.'],
  ['uk', 'Дякую за допомогу зі статтею.'],
  ['es', 'Gracias por la corrección, añadí la referencia.'],
  ['es', 'No eres un idiota, solo te equivocaste.'],
  ['it', 'Grazie per la modifica alla voce.'],
  ['tr', 'Bu konuda şikayet etmek istiyorum, kaynak eksik.'],
  ['tr', 'Makalenin adı değişmeli, adil bir başlık olsun.'],
  ['tr', 'Bu olası bir hata, kaynak ekledim.'],
  ['fr', 'Merci pour la correction de l’article.'],
  ['de', 'Danke für die Quelle, ich habe den Abschnitt ergänzt.'],
  ['pl', 'Dziękuję za poprawki w artykule.'],
  ['ar', 'شكرا على التعديل والمصدر.'],
  ['fa', 'ممنون از ویرایش شما.'],
];

describe('detect', () => {
  it.each(MUST_FLAG)('[%s] flags %s', (lang, text) => {
    const r = detect(text, { lang });
    expect(r.flagged, JSON.stringify(r)).toBe(true);
    expect(r.reasons.length).toBeGreaterThan(0);
  });

  it.each(MUST_NOT_FLAG)('[%s] does not flag %s', (lang, text) => {
    const r = detect(text, { lang });
    expect(r.flagged, JSON.stringify(r)).toBe(false);
  });

  // Was a false positive: the model learnt the inner bigram "еб" of obscene stems (хлеб, небо) and, trained only
  // on social-media minimal pairs, took any unseen Russian word as half-way toxic. Fixed by dropping inner
  // bigrams and adding Russian news sentences as ordinary text (docs/detector.md).
  it('[ru] does not flag bread and sky', () => {
    expect(detect('В статье про хлеб и небо нужны источники.', { lang: 'ru' }).flagged).toBe(false);
  });

  // Known limit: the Italian model weighs "sei" (you are) itself, so a negated insult with the word left out still
  // reaches the threshold. Kept visible until the model learns negation.
  it.fails('[it] does not flag a negated insult', () => {
    expect(detect('Non sei un idiota, hai solo sbagliato fonte.', { lang: 'it' }).flagged).toBe(false);
  });

  it('leaves the words of a negated insult out of the learned model too', () => {
    const r = detect('No eres un idiota, solo te equivocaste.', { lang: 'es' });
    expect(r.reasons.some((x) => x.kind === 'model')).toBe(false);
  });

  it('returns reasons whose spans cover the offending words in the original text', () => {
    const text = 'Well... you are a stuuupid іdіоt!';
    const r = detect(text, { lang: 'en' });
    const rule = r.reasons.find((x) => x.kind === 'rule');
    expect(rule).toBeDefined();
    const [a, b] = rule!.span;
    expect(['stuuupid', 'іdіоt']).toContain(text.slice(a, b));
    expect(DetectionResultSchema.safeParse(r).success).toBe(true);
  });

  it('weighs an insult aimed at the reader more than a mention', () => {
    const aimed = detect('you are an idiot', { lang: 'en' }).score;
    const mention = detect('that idiot edit again', { lang: 'en' }).score;
    expect(aimed).toBeGreaterThan(mention);
  });

  it('ignores caller-supplied quoted ranges', () => {
    const text = 'You wrote: you are an idiot. Please stop.';
    const start = text.indexOf('you are');
    const r = detect(text, { lang: 'en', quotedRanges: [[start, start + 'you are an idiot'.length]] });
    expect(r.reasons.filter((x) => x.kind === 'rule')).toEqual([]);
  });

  it('scores identity-swapped sentences the same', () => {
    const pairs: Array<[string, string]> = [
      ['As a gay editor I disagree with this merge.', 'As a muslim editor I disagree with this merge.'],
      ['The jewish community page needs sources.', 'The christian community page needs sources.'],
      ['you are a stupid gay', 'you are a stupid sikh'],
    ];
    for (const [a, b] of pairs) expect(detect(a, { lang: 'en' }).score).toBe(detect(b, { lang: 'en' }).score);
  });

  it('says which languages have a learned model', () => {
    expect(hasLearnedModel('en')).toBe(true);
    expect(hasLearnedModel('ru')).toBe(true);
    expect(hasLearnedModel('fa')).toBe(false);
    expect(detect('خفه شو', { lang: 'fa' }).learned).toBe(false);
  });

  it('works with rules only when the model is switched off', () => {
    const d = createDetector({ model: null });
    expect(d.detect('you are an idiot', { lang: 'en' }).flagged).toBe(true);
    expect(d.hasLearnedModel('en')).toBe(false);
  });
});

describe('robustness', () => {
  it('never throws on arbitrary Unicode and returns a valid result', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.constantFrom('en', 'ru', 'ar', 'xx', undefined), (text, lang) => {
      const r = detect(text, { lang });
      expect(DetectionResultSchema.safeParse(r).success).toBe(true);
      for (const reason of r.reasons) {
        expect(reason.span[0]).toBeLessThanOrEqual(reason.span[1]);
        expect(reason.span[1]).toBeLessThanOrEqual(text.length);
      }
    }), { numRuns: 300 });
  });

  it('handles huge input in bounded time', () => {
    const huge = 'you idiot f*ck i d i o t стууупид '.repeat(40_000);
    const t0 = performance.now();
    const r = detect(huge, { lang: 'en' });
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(r.flagged).toBe(true);
    for (const reason of r.reasons) expect(reason.span[1]).toBeLessThanOrEqual(MAX_ANALYSED_LENGTH);
  });
});
