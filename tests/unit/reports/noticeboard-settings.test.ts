import { describe, expect, it } from 'vitest';
import { destinationFromForm, EMPTY_FORM } from '../../../components/report/DestinationsSettings';

describe('a noticeboard destination from the settings form', () => {
  const cases: Array<[scope: string, result: string]> = [
    ['https://en.wikipedia.org/w', 'ok:https://en.wikipedia.org/w'],
    ['https://en.wikipedia.org/w/', 'ok:https://en.wikipedia.org/w'],
    ['http://localhost:8911/w', 'ok:http://localhost:8911/w'],
    ['', 'kalkan-destinations-problem-noticeboard-wiki'],
    ['http://wiki.example.org/w', 'kalkan-destinations-problem-wiki-address'],
    ['https://en.wikipedia.org/w/api.php', 'kalkan-destinations-problem-wiki-address'],
    ['https://en.wikipedia.org/wiki/Main_Page?action=edit', 'kalkan-destinations-problem-wiki-address'],
    ['en.wikipedia.org', 'kalkan-destinations-problem-wiki-address'],
  ];
  it.each(cases)('wiki %s → %s', (scope, result) => {
    const built = destinationFromForm({ ...EMPTY_FORM, kind: 'noticeboard', label: 'ANI', scope, page: "Wikipedia:Administrators' noticeboard/Incidents" }, 'id-1');
    const got = built.ok ? `ok:${built.destination.kind === 'noticeboard' ? built.destination.wikiId : ''}` : built.problem;
    expect(got).toBe(result);
    if (built.ok) expect(built.destination).toMatchObject({ kind: 'noticeboard', private: false, page: "Wikipedia:Administrators' noticeboard/Incidents" });
  });
  it('needs a page title', () => {
    expect(destinationFromForm({ ...EMPTY_FORM, kind: 'noticeboard', label: 'ANI', scope: 'https://en.wikipedia.org/w', page: ' ' }, 'id-1')).toEqual({ ok: false, problem: 'kalkan-destinations-problem-noticeboard' });
  });
});
