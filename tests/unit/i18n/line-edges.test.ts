import { describe, expect, it } from 'vitest';
import { lineEndRect, lineStartRect, type Box } from '../../../utils/i18n/line-edges';

const box = (left: number, right: number, top: number, name: string): Box & { name: string } => ({ left, right, top, bottom: top + 20, name });

describe('line edges of a range', () => {
  // An Arabic signature wrapped over two lines; Chromium's rect order puts the LTR digit run last on line 2.
  const arabic = [box(600, 900, 0, 'line1'), box(500, 580, 22, 'month'), box(420, 490, 22, 'tz'), box(590, 640, 22, 'digits')];
  // An English signature: boxes in reading order.
  const english = [box(10, 300, 0, 'line1'), box(10, 120, 22, 'user'), box(125, 260, 22, 'time')];
  it.each([
    ['rtl end: the leftmost box of the last line (not the last rect)', lineEndRect(arabic, 'rtl'), 'tz'],
    ['rtl start: the rightmost box of the first line', lineStartRect(arabic, 'rtl'), 'line1'],
    ['ltr end: the rightmost box of the last line', lineEndRect(english, 'ltr'), 'time'],
    ['ltr start: the leftmost box of the first line', lineStartRect(english, 'ltr'), 'line1'],
    ['ltr end of the arabic boxes is the digits run', lineEndRect(arabic, 'ltr'), 'digits'],
  ])('%s', (_name, rect, expected) => {
    expect(rect && 'name' in rect ? rect.name : null).toBe(expected);
  });
  it('ignores empty boxes and answers null without any', () => {
    expect(lineEndRect([box(5, 5, 40, 'empty')].map((b) => ({ ...b, bottom: b.top })), 'ltr')).toBeNull();
    expect(lineEndRect([], 'rtl')).toBeNull();
    expect(lineEndRect([...english, { left: 400, right: 400, top: 60, bottom: 60 }], 'ltr')).toMatchObject({ left: 125 });
  });
});
