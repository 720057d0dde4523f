import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchWithExtension, type ExtensionBrowser } from './support/chromium';

/**
 * Typing stays smooth in a 100 KB wikitext: the masking helpers scan the opening text in slices and rescan only
 * the edited window, so no main-thread task while the user types may exceed the long-task limit.
 */
const wikiUrl = inject('wikiUrl');
const wikiProblem = inject('wikiProblem');
const PAGE = 'Talk:Masking_typing_sandbox';
/** Size of the wikitext the user edits (the "100 KB wikitext"). */
const WIKITEXT_CHARS = 100_000;
/** A main-thread task longer than this is a long task (the RAIL limit the issue names). */
const LONG_TASK_MS = 50;
/** Pause between keystrokes, a fast typist's pace. */
const KEY_DELAY_MS = 40;

/** Signed talk-page wikitext of about `chars` characters: threads, indentation, links, templates. */
function longWikitext(chars: number): string {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < chars; i++) {
    const line = i % 12 === 0
      ? `\n== Section ${i / 12} about [[Article ${i}]] ==\n`
      : `${':'.repeat(i % 5)}I think the source in [[Article ${i}|this article]] is outdated; see {{cite web|url=https://example.org/${i}|title=Report ${i}}} and the discussion above. [[User:Editor${i % 17}|Editor${i % 17}]] ([[User talk:Editor${i % 17}|talk]]) 10:${String(i % 60).padStart(2, '0')}, 1 April 2026 (UTC)\n`;
    lines.push(line);
    size += line.length;
  }
  return lines.join('').slice(0, chars);
}

describe.skipIf(Boolean(wikiProblem))('masking while typing in a long wikitext', () => {
  let browser: ExtensionBrowser;
  beforeAll(async () => {
    browser = await launchWithExtension();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('no long task while typing into 100 KB, and the phone number typed at the end is found', async () => {
    const page = await browser.context.newPage();
    await page.addInitScript(() => {
      const w = window as unknown as { __longTasks: Array<{ start: number; duration: number }> };
      w.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) w.__longTasks.push({ start: entry.startTime, duration: entry.duration });
      }).observe({ type: 'longtask', buffered: true });
    });
    await page.goto(`${wikiUrl}/w/index.php?title=${PAGE}&action=edit`);
    const box = page.locator('#wpTextbox1');
    await box.waitFor();
    // The text arrives as if it had been loaded with the page (no input event); Kalkan reads it at the first keystroke.
    await box.evaluate((element, text) => {
      (element as HTMLTextAreaElement).value = text;
    }, longWikitext(WIKITEXT_CHARS));
    await box.focus();
    await box.evaluate((element) => {
      const area = element as HTMLTextAreaElement;
      area.selectionStart = area.selectionEnd = area.value.length;
    });
    await page.waitForTimeout(500);
    const startedAt = await page.evaluate(() => performance.now());
    await page.keyboard.type('\nPlease call me on +996 555 123 456 tonight, thanks. ', { delay: KEY_DELAY_MS });
    const badge = page.getByTestId('masking-badge');
    await badge.waitFor({ timeout: 20_000 });
    expect(await badge.getAttribute('data-count')).toBe('1');
    await page.waitForTimeout(500);
    const tasks = await page.evaluate((since) => {
      const all = (window as unknown as { __longTasks: Array<{ start: number; duration: number }> }).__longTasks;
      return all.filter((task) => task.start >= since).map((task) => Math.round(task.duration));
    }, startedAt);
    console.info(`[masking typing e2e] ${WIKITEXT_CHARS} chars, ${tasks.length} long tasks while typing: ${tasks.join(', ') || 'none'}`);
    expect(tasks.filter((duration) => duration > LONG_TASK_MS)).toEqual([]);
    await page.close();
  });
});
