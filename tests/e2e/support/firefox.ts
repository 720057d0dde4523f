/**
 * Drives Debian's Firefox ESR headless over WebDriver BiDi (raw WebSocket; Playwright's Firefox needs a patched
 * build and geckodriver is not packaged). Installs the extension temporarily with webExtension.install.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import WebSocket from 'ws';

export const FIREFOX_E2E_EXTENSION_DIR = resolve(`.output/firefox-mv3-e2e${process.env.KALKAN_OUT_SUFFIX ?? ''}`);
export const FIREFOX_START_TIMEOUT_MS = 30_000;
export const BIDI_COMMAND_TIMEOUT_MS = 30_000;
/** How long waitFor/waitForContext look before failing, and how often. */
export const WAIT_TIMEOUT_MS = 20_000;
export const WAIT_POLL_MS = 200;
/** The add-on id (wxt.config.ts GECKO_ID) and the internal UUID pinned for it, so its pages have a known origin. */
export const FIREFOX_ADDON_ID = 'kalkan@kalkan-safety.org';
export const FIREFOX_ADDON_UUID = '5b0c8a3e-6f1d-4e2a-9c7b-0d4e8f2a1b36';
export const FIREFOX_EXTENSION_ORIGIN = `moz-extension://${FIREFOX_ADDON_UUID}`;

export function firefoxPath(): string | null {
  try {
    return execFileSync('which', ['firefox-esr'], { encoding: 'utf8' }).trim() || null;
  } catch {
    // Not installed: the caller skips with a message naming the package.
    return null;
  }
}

interface Pending { resolve: (value: Record<string, unknown>) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }

export class BidiSession {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  readonly events: Array<{ method: string; params: Record<string, unknown> }> = [];

  private constructor(private readonly socket: WebSocket, private readonly child: ChildProcess, private readonly profile: string) {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { id?: number; type: string; result?: Record<string, unknown>; error?: string; message?: string; method?: string; params?: Record<string, unknown> };
      if (message.id !== undefined) {
        const waiting = this.pending.get(message.id);
        if (!waiting) return;
        this.pending.delete(message.id);
        clearTimeout(waiting.timer);
        if (message.type === 'error') waiting.reject(new Error(`${message.error}: ${message.message}`));
        else waiting.resolve(message.result ?? {});
      } else if (message.method) {
        this.events.push({ method: message.method, params: message.params ?? {} });
      }
    });
  }

  static async launch(): Promise<BidiSession> {
    const binary = firefoxPath();
    if (!binary) throw new Error('Firefox ESR is not installed: run "apt-get install -y firefox-esr".');
    const profile = mkdtempSync(join(tmpdir(), 'kalkan-firefox-'));
    // Quiet, offline-friendly profile: no updates, telemetry or first-run pages.
    writeFileSync(join(profile, 'user.js'), [
      'user_pref("app.update.enabled", false);', 'user_pref("datareporting.policy.dataSubmissionEnabled", false);',
      'user_pref("toolkit.telemetry.enabled", false);', 'user_pref("browser.shell.checkDefaultBrowser", false);',
      'user_pref("network.captive-portal-service.enabled", false);', 'user_pref("extensions.update.enabled", false);',
      'user_pref("browser.startup.homepage_override.mstone", "ignore");',
      // A headless browser cannot answer the permission doorhanger that "add a destination" raises; Firefox's own
      // tests grant optional permissions without it this way (the request still has to come from a click).
      'user_pref("extensions.webextOptionalPermissionPrompts", false);',
      // BiDi cannot navigate to moz-extension:// pages, but tests must recognise them among the open tabs.
      `user_pref("extensions.webextensions.uuids", ${JSON.stringify(JSON.stringify({ [FIREFOX_ADDON_ID]: FIREFOX_ADDON_UUID }))});`,
    ].join('\n'));
    const child = spawn(binary, ['--headless', '--no-remote', '--profile', profile, '--remote-debugging-port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
    const url = await new Promise<string>((done, fail) => {
      let seen = '';
      const timer = setTimeout(() => fail(new Error(`Firefox did not open WebDriver BiDi within ${FIREFOX_START_TIMEOUT_MS} ms: ${seen.slice(-500)}`)), FIREFOX_START_TIMEOUT_MS);
      child.stderr?.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        const match = /WebDriver BiDi listening on (ws:\/\/\S+)/.exec(seen);
        if (match?.[1]) {
          clearTimeout(timer);
          done(match[1]);
        }
      });
      child.once('exit', (code) => fail(new Error(`Firefox exited (${code}) before BiDi was ready: ${seen.slice(-500)}`)));
    });
    const socket = new WebSocket(`${url}/session`);
    await new Promise<void>((done, fail) => {
      socket.once('open', () => done());
      socket.once('error', fail);
    });
    const session = new BidiSession(socket, child, profile);
    await session.send('session.new', { capabilities: { alwaysMatch: { acceptInsecureCerts: true } } });
    return session;
  }

  send(method: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    return new Promise((resolvePromise, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`BiDi ${method} timed out`));
      }, BIDI_COMMAND_TIMEOUT_MS);
      this.pending.set(id, { resolve: resolvePromise, reject, timer });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  async topContext(): Promise<string> {
    const tree = (await this.send('browsingContext.getTree', {})) as { contexts: Array<{ context: string }> };
    const context = tree.contexts[0]?.context;
    if (!context) throw new Error('Firefox has no browsing context');
    return context;
  }

  /** Every browsing context (tabs and their frames) with its current URL. */
  async contexts(): Promise<Array<{ context: string; url: string }>> {
    type Node = { context: string; url: string; children?: Node[] | null };
    const tree = (await this.send('browsingContext.getTree', {})) as { contexts: Node[] };
    const flat: Array<{ context: string; url: string }> = [];
    const walk = (nodes: Node[]) => nodes.forEach((node) => (flat.push({ context: node.context, url: node.url }), walk(node.children ?? [])));
    walk(tree.contexts);
    return flat;
  }

  /** The first context whose URL passes `test`, waiting for it to appear (e.g. a tab the extension opens). */
  async waitForContext(test: (url: string) => boolean, what: string): Promise<{ context: string; url: string }> {
    const deadline = Date.now() + WAIT_TIMEOUT_MS;
    for (;;) {
      const found = (await this.contexts()).find((entry) => test(entry.url));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`No tab with ${what} within ${WAIT_TIMEOUT_MS} ms; open: ${(await this.contexts()).map((c) => c.url).join(', ')}`);
      await new Promise((done) => setTimeout(done, WAIT_POLL_MS));
    }
  }

  /**
   * Polls `expression` in the context until it is true; throws with `what` after WAIT_TIMEOUT_MS, adding the
   * value of `explain` (an expression, e.g. a status line's text) to say what the page showed instead.
   */
  async waitFor(context: string, expression: string, what: string, explain?: string): Promise<void> {
    const deadline = Date.now() + WAIT_TIMEOUT_MS;
    for (;;) {
      // A page still loading can make an evaluation fail; that only means "not yet".
      const value = await this.evaluate(context, expression).catch(() => false);
      if (value === true) return;
      if (Date.now() > deadline) {
        const shown = explain ? `; the page shows: ${String(await this.evaluate(context, explain).catch((error: unknown) => String(error)))}` : '';
        throw new Error(`Timed out after ${WAIT_TIMEOUT_MS} ms waiting for ${what}${shown}`);
      }
      await new Promise((done) => setTimeout(done, WAIT_POLL_MS));
    }
  }

  /** A real (trusted) left click at viewport coordinates (CSS pixels). */
  async clickAt(context: string, x: number, y: number): Promise<void> {
    await this.send('input.performActions', {
      context,
      actions: [{
        type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' },
        actions: [{ type: 'pointerMove', x: Math.round(x), y: Math.round(y) }, { type: 'pointerDown', button: 0 }, { type: 'pointerUp', button: 0 }],
      }],
    });
    await this.send('input.releaseActions', { context });
  }

  /** Evaluates an expression in the page's main world and returns its JSON-serialisable value. */
  async evaluate(context: string, expression: string): Promise<unknown> {
    const result = (await this.send('script.evaluate', { expression, target: { context }, awaitPromise: true, resultOwnership: 'none' })) as {
      type: string; result?: { type: string; value?: unknown }; exceptionDetails?: { text: string };
    };
    if (result.type === 'exception') throw new Error(`evaluate failed: ${result.exceptionDetails?.text}`);
    return result.result?.value;
  }

  async close(): Promise<void> {
    try {
      await this.send('session.end', {});
    } catch (error) {
      // Firefox may already be gone; killing it below is what matters.
      if (!(error instanceof Error)) throw error;
    }
    this.socket.close();
    this.child.kill('SIGKILL');
    rmSync(this.profile, { recursive: true, force: true });
  }
}
