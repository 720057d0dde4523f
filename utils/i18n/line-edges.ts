/**
 * Where a range's text starts and ends on screen, for placing controls beside it. A range's client rects are
 * not in reading order: Chromium returns one box per bidi run, so in an Arabic signature such as
 * "12:17، 7 أغسطس 2018 (ت ع م)" the last rect is the digits run, which sits at the line's right — a control placed
 * "after the last rect" landed inside the timestamp (tests/e2e/inclusion-i18n.e2e.ts, arwiki page). The text
 * ends at the far side of its last line in the content direction, and starts at the near side of its first line.
 */

export interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

const visible = (rect: Box) => rect.right > rect.left || rect.bottom > rect.top;

/** The rects on the same line as `reference` (their vertical middles inside its band). */
function sameLine<R extends Box>(rects: readonly R[], reference: R): R[] {
  return rects.filter((rect) => {
    const middle = (rect.top + rect.bottom) / 2;
    return middle >= reference.top && middle <= reference.bottom;
  });
}

function furthest<R extends Box>(rects: readonly R[], side: 'left' | 'right'): R | null {
  let best: R | null = null;
  for (const rect of rects) if (!best || (side === 'left' ? rect.left < best.left : rect.right > best.right)) best = rect;
  return best;
}

/** The box where the text ends: on its last line, the leftmost box in RTL, the rightmost in LTR; null if none. */
export function lineEndRect<R extends Box>(rects: readonly R[], dir: 'ltr' | 'rtl'): R | null {
  const shown = rects.filter(visible);
  let last: R | null = null;
  for (const rect of shown) if (!last || rect.bottom > last.bottom) last = rect;
  return last ? furthest(sameLine(shown, last), dir === 'rtl' ? 'left' : 'right') : null;
}

/** The box where the text starts: on its first line, the rightmost box in RTL, the leftmost in LTR; null if none. */
export function lineStartRect<R extends Box>(rects: readonly R[], dir: 'ltr' | 'rtl'): R | null {
  const shown = rects.filter(visible);
  let first: R | null = null;
  for (const rect of shown) if (!first || rect.top < first.top) first = rect;
  return first ? furthest(sameLine(shown, first), dir === 'rtl' ? 'right' : 'left') : null;
}
