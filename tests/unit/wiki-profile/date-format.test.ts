import { describe, expect, it } from 'vitest';
import { digitValue, learnDateFormat, splitTimezone, type LocalTimeParts } from '../../../utils/wiki-profile/date-format';

const names = {
  january: 'January', 'january-gen': 'January', jan: 'Jan', march: 'March', 'march-gen': 'March', mar: 'Mar',
  sunday: 'Sunday', sun: 'Sun', wednesday: 'Wednesday', wed: 'Wed', tuesday: 'Tuesday', tue: 'Tue',
};
const jan7: LocalTimeParts = { year: 2026, month: 1, day: 7, hour: 9, minute: 5, weekday: 3 };
const mar25: LocalTimeParts = { year: 2026, month: 3, day: 25, hour: 17, minute: 45, weekday: 3 };

describe('learnDateFormat', () => {
  it.each([
    ['09:05, 7 January 2026 (UTC)', jan7, 'H:i, j F Y', 'UTC'],
    ['9:05, 7 Jan 2026', jan7, 'G:i, j M Y', null],
    ['17:45, 25 March 2026 (CET)', mar25, 'H:i, j F Y', 'CET'],
    ['2026-03-25 17:45', mar25, 'Y-m-j H:i', null],
    ['Wednesday, 07 January 2026 09:05', jan7, 'l, d F Y H:i', null],
    ['25 March 2026 at 17:45', mar25, 'j F Y \\a\\t H:i', null],
  ])('%s → %s', (sample, when, format, abbreviation) => {
    const learned = learnDateFormat(sample, when, names);
    expect(learned.dateFormat).toBe(format);
    expect(learned.abbreviation).toBe(abbreviation);
    expect(learned.digits).toBeNull();
  });

  it('learns local digits', () => {
    const learned = learnDateFormat('١٧:٤٥، ٢٥ March ٢٠٢٦', mar25, names);
    expect(learned.dateFormat).toBe('H:i، j F Y');
    expect(learned.digits?.join('')).toBe('٠١٢٣٤٥٦٧٨٩');
  });

  it.each([['no year', '17:45, 25 March'], ['wrong time', '03:12, 25 March 2026']])('refuses a sample with %s', (_label, sample) => {
    expect(() => learnDateFormat(sample, mar25, names)).toThrow(/Kalkan could not/);
  });
});

describe('digitValue and splitTimezone', () => {
  it.each([['7', 7], ['٣', 3], ['۹', 9], ['०', 0], ['৫', 5]])('%s is %i', (char, value) => {
    expect(digitValue(char.codePointAt(0) ?? 0)).toBe(value);
  });
  it.each([
    ['10:00, 1 May 2026 (UTC)', '10:00, 1 May 2026', 'UTC'],
    ['10:00, 1 May 2026\u00a0(ت ع م)\u200f', '10:00, 1 May 2026', 'ت ع م'],
    ['10:00, 1 May 2026', '10:00, 1 May 2026', null],
  ])('%j', (sample, stamp, abbreviation) => {
    expect(splitTimezone(sample)).toEqual({ stamp, abbreviation });
  });
});
