/**
 * A throw-away MediaWiki (Debian's `mediawiki` package, 1.39, SQLite) on loopback for end-to-end tests and the
 * demo. Configuration lives in the wiki's own folder (MW_CONFIG_FILE), never in /etc. Idempotent: an installed
 * folder is reused unless `fresh` is set.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync, appendFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

export const MEDIAWIKI_DIR = '/usr/share/mediawiki';
export const MEDIAWIKI_DOCROOT = '/var/lib/mediawiki';
export const ADMIN_USER = 'Admin';
export const ADMIN_PASSWORD = 'kalkan-admin-pass-1';
/** How long php -S may take to answer its first request. */
export const WIKI_START_TIMEOUT_MS = 20_000;
export const REQUIRED_PACKAGES = 'mediawiki php-sqlite3 php-cli php-intl php-mbstring php-xml';

export interface WikiOptions {
  port: number;
  /** Folder holding the database, LocalSettings.php and caches. */
  dir: string;
  fresh?: boolean;
  siteName?: string;
  lang?: string;
  /** PHP appended to LocalSettings.php (e.g. a local time zone), for fixtures of other wiki kinds. */
  extraSettings?: string;
}

export interface RunningWiki {
  /** As the browser should use it: http://localhost:PORT (match patterns are host-exact). */
  url: string;
  /** http://127.0.0.1:PORT/w/api.php — for Node-side API calls. */
  apiUrl: string;
  articleUrl(title: string): string;
  dir: string;
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export function mediaWikiAvailable(): string | null {
  if (!existsSync(join(MEDIAWIKI_DIR, 'maintenance', 'install.php'))) {
    return `MediaWiki is not installed: run "apt-get install -y --no-install-recommends ${REQUIRED_PACKAGES}".`;
  }
  const php = spawnSync('php', ['-m'], { encoding: 'utf8' });
  if (php.status !== 0) return 'php is not installed: run "apt-get install -y php-cli".';
  for (const module of ['pdo_sqlite', 'intl', 'mbstring', 'xml']) {
    if (!php.stdout.includes(module)) return `PHP module ${module} is missing: run "apt-get install -y ${REQUIRED_PACKAGES}".`;
  }
  return null;
}

function php(args: string[], env: NodeJS.ProcessEnv, input?: string): string {
  const result = spawnSync('php', args, { env, encoding: 'utf8', input, maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    throw new Error(`php ${args.slice(0, 2).join(' ')} failed (${result.status}): ${result.stderr || result.stdout}`);
  }
  return result.stdout;
}

/** Installs (if needed) and configures the wiki in `dir`; returns the environment for maintenance scripts. */
export function installWiki(options: WikiOptions): NodeJS.ProcessEnv {
  const problem = mediaWikiAvailable();
  if (problem) throw new Error(problem);
  const dir = resolve(options.dir);
  const settings = join(dir, 'LocalSettings.php');
  const env = { ...process.env, MW_CONFIG_FILE: settings, MW_INSTALL_PATH: MEDIAWIKI_DIR };
  if (options.fresh) rmSync(dir, { recursive: true, force: true });
  if (existsSync(settings)) return env;
  mkdirSync(join(dir, 'data'), { recursive: true });
  mkdirSync(join(dir, 'cache'), { recursive: true });
  mkdirSync(join(dir, 'docroot'), { recursive: true });
  // Uploads land in the wiki's own folder (served by php -S as /images), never in the shared Debian install.
  mkdirSync(join(dir, 'docroot', 'images'), { recursive: true });
  php(
    [
      join(MEDIAWIKI_DIR, 'maintenance', 'install.php'),
      '--dbtype', 'sqlite', '--dbpath', join(dir, 'data'), '--dbname', 'kalkanwiki',
      '--server', `http://localhost:${options.port}`, '--scriptpath', '/w',
      '--lang', options.lang ?? 'en', '--pass', ADMIN_PASSWORD, '--confpath', dir,
      options.siteName ?? 'Kalkan Test Wiki', ADMIN_USER,
    ],
    env,
  );
  appendFileSync(
    settings,
    `
# --- Kalkan test settings ---
# Follow the Host header so the wiki works as both localhost and 127.0.0.1.
$wgServer = WebRequest::detectServer();
$wgArticlePath = "/wiki/$1";
$wgUseInstantCommons = false;
$wgPingback = false;
$wgRateLimits = [];
$wgCacheDirectory = ${JSON.stringify(join(dir, 'cache'))};
$wgMainCacheType = CACHE_NONE;
# Uploads on, for the upload form's photo check (tests/e2e/masking-upload.e2e.ts).
$wgEnableUploads = true;
$wgUploadDirectory = ${JSON.stringify(join(dir, 'docroot', 'images'))};
$wgUploadPath = "/images";
$wgShowExceptionDetails = true;
$wgGroupPermissions['*']['edit'] = true;
$wgGroupPermissions['*']['createaccount'] = true;
$wgEnableAPI = true;
$wgJobRunRate = 0;
$wgDefaultSkin = 'vector';
${options.extraSettings ?? ''}
`,
  );
  // php -S serves the docroot; /w is MediaWiki, /wiki/Title goes through the router to index.php.
  const docroot = join(dir, 'docroot');
  if (!existsSync(join(docroot, 'w'))) symlinkSync(MEDIAWIKI_DOCROOT, join(docroot, 'w'));
  writeFileSync(
    join(dir, 'router.php'),
    `<?php
$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
if (strpos($path, '/wiki/') === 0) {
  $_SERVER['SCRIPT_NAME'] = '/w/index.php';
  $_SERVER['SCRIPT_FILENAME'] = ${JSON.stringify(join(MEDIAWIKI_DOCROOT, 'index.php'))};
  chdir(${JSON.stringify(MEDIAWIKI_DOCROOT)});
  require ${JSON.stringify(join(MEDIAWIKI_DOCROOT, 'index.php'))};
  return true;
}
if ($path === '/' ) { header('Location: /wiki/Main_Page'); return true; }
return false;
`,
  );
  return env;
}

export function runMaintenance(env: NodeJS.ProcessEnv, script: string, args: string[], input?: string): string {
  return php([join(MEDIAWIKI_DIR, 'maintenance', `${script}.php`), ...args], env, input);
}

export async function startWiki(options: WikiOptions): Promise<RunningWiki> {
  const env = installWiki(options);
  const dir = resolve(options.dir);
  const child: ChildProcess = spawn(
    'php',
    ['-d', 'variables_order=EGPCS', '-S', `127.0.0.1:${options.port}`, '-t', join(dir, 'docroot'), join(dir, 'router.php')],
    // Its own process group: php -S forks workers, and stop() must end them all.
    { env: { ...env, PHP_CLI_SERVER_WORKERS: '4' }, stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const apiUrl = `http://127.0.0.1:${options.port}/w/api.php`;
  const deadline = Date.now() + WIKI_START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`php -S exited (${child.exitCode}): ${stderr}`);
    try {
      const answer = await fetch(`${apiUrl}?action=query&meta=siteinfo&format=json`);
      if (answer.ok) break;
    } catch {
      // Not listening yet: poll again until the deadline below.
    }
    if (Date.now() > deadline) {
      if (child.pid !== undefined) killGroup(child.pid, 'SIGKILL');
      throw new Error(`MediaWiki did not answer on ${apiUrl} within ${WIKI_START_TIMEOUT_MS} ms: ${stderr}`);
    }
    await delay(100);
  }
  const url = `http://localhost:${options.port}`;
  return {
    url,
    apiUrl,
    dir,
    env,
    articleUrl: (title: string) => `${url}/wiki/${encodeURIComponent(title.replace(/ /g, '_')).replace(/%3A/g, ':').replace(/%2F/g, '/')}`,
    stop: async () => {
      if (child.exitCode !== null || child.pid === undefined) return;
      const exited = new Promise((r) => child.once('exit', r));
      killGroup(child.pid, 'SIGTERM');
      await Promise.race([exited, delay(3000)]);
      if (child.exitCode === null) killGroup(child.pid, 'SIGKILL');
      child.stderr?.destroy();
    },
  };
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    // ESRCH: the group is already gone, which is what we wanted.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
