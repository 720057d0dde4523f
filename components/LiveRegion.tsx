import { useEffect, useState } from 'preact/hooks';

/**
 * A polite live region, visually hidden, for status changes that are otherwise only drawn (a count in a badge).
 * It renders empty first and takes its text one effect later: screen readers announce changes to a region that
 * already exists, not the content a region is inserted with.
 */
const VISUALLY_HIDDEN = {
  position: 'absolute', insetInlineStart: '0', insetBlockStart: '0', inlineSize: '1px', blockSize: '1px',
  overflow: 'hidden', clipPath: 'inset(50%)', whiteSpace: 'nowrap',
} as const;

export function LiveRegion({ text, testId }: { text: string; testId?: string }) {
  const [shown, setShown] = useState('');
  useEffect(() => setShown(text), [text]);
  return <div aria-live="polite" aria-atomic="true" style={VISUALLY_HIDDEN} data-testid={testId}>{shown}</div>;
}
