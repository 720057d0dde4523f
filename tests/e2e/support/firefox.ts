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
