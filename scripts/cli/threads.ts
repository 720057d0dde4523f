/**
 * `kalkan threads`: the talk-page model of a saved page as JSON (one entry per heading, like DiscussionTools'
 * expected files: type, headingLevel, placeholderHeading, author, displayName, timestamp (ISO 8601 UTC), level,
 * name, id, warnings, replies; plus parentId, headingId, text, mentions, and DOM ranges with --ranges).
 * Also holds the option handling shared with `kalkan interactions`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { Window } from 'happy-dom';
import { buildPageModel, modelToJson, type PageModel } from '../../utils/page-model/model';
import { profileFromDtTestData } from '../../utils/wiki-profile/from-dt-test-data';

export const summary = 'print the threads and comments of a saved talk page as JSON';

export const PAGE_OPTIONS_HELP =
  'options:\n' +
  '  --html PAGE.html      saved page (action=render HTML, Parsoid HTML, or DiscussionTools-formatted HTML)\n' +
  '  --config WIKI.json    DiscussionTools tests/data/<wiki>-config.json\n' +
  '  --data WIKI.json      DiscussionTools tests/data/<wiki>-data.json\n' +
  '  --title "Page title"  title of the page (user-talk pages and self-links depend on it)\n' +
  '  --source auto|markers|parser   read DiscussionTools markers or parse signatures (default auto)\n';

export interface LoadedModel {
  model: PageModel;
  ranges: boolean;
  close(): void;
}

function fail(command: string, message: string): number {
  process.stderr.write(`kalkan ${command}: ${message}\nRun "npm run -s kalkan -- ${command} --help" for the options.\n`);
  return 2;
}

function readJsonFile(command: string, option: string, path: string): unknown {
  if (!existsSync(path)) throw new Error(`${option} file not found: ${path}`);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (error) {
    throw new Error(`${option} file is not valid JSON (${path}): ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Parses the shared options and builds the model; returns an exit code on bad input. */
export function loadModelFromArgs(command: string, argv: string[], commandSummary: string): LoadedModel | number {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        html: { type: 'string' },
        config: { type: 'string' },
        data: { type: 'string' },
        title: { type: 'string' },
        source: { type: 'string', default: 'auto' },
        ranges: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    return fail(command, error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    process.stdout.write(`usage: npm run -s kalkan -- ${command} --html PAGE.html --config WIKI-config.json ` +
      `--data WIKI-data.json --title "Title"\n${commandSummary}\n${PAGE_OPTIONS_HELP}` +
      (command === 'threads' ? '  --ranges              include DOM positions as DT offset paths\n' : ''));
    return 0;
  }
  const { html, config, data, title } = values;
  if (!html || !config || !data || !title) return fail(command, '--html, --config, --data and --title are all required.');
  const source = values.source;
  if (source !== 'auto' && source !== 'markers' && source !== 'parser') {
    return fail(command, `--source must be auto, markers or parser (got "${source}").`);
  }
  let model: PageModel;
  let window: Window;
  try {
    if (!existsSync(html)) throw new Error(`--html file not found: ${html}`);
    const profile = profileFromDtTestData(basename(config).replace(/-config\.json$/, ''),
      readJsonFile(command, '--config', config), readJsonFile(command, '--data', data));
    window = new Window({ url: 'https://kalkan.invalid/', settings: { disableJavaScriptEvaluation: true } });
    const doc = new window.DOMParser().parseFromString(readFileSync(html, 'utf8'), 'text/html') as unknown as Document;
    model = buildPageModel(doc, profile, title, { source });
  } catch (error) {
    return fail(command, error instanceof Error ? error.message : String(error));
  }
  return {
    model,
    ranges: values.ranges === true,
    close: () => {
      void window.happyDOM.close();
    },
  };
}

export async function run(argv: string[]): Promise<number> {
  const loaded = loadModelFromArgs('threads', argv, summary);
  if (typeof loaded === 'number') return loaded;
  const json = modelToJson(loaded.model, { ranges: loaded.ranges, text: true });
  process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  loaded.close();
  return 0;
}
