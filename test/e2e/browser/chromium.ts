/**
 * A minimal driver for Debian's headless chromium over the Chrome DevTools Protocol, without
 * extra packages: playwright-core and puppeteer are not installed, and Node 20 has no global
 * WebSocket, so it talks CDP over `--remote-debugging-pipe` (file descriptors 3 and 4, one
 * JSON message per NUL-terminated frame), the transport puppeteer's `pipe: true` uses.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

/** Where Debian installs chromium (`apt-get install -y chromium`); CHROMIUM_PATH overrides it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Thrown when chromium is not installed: the message says how to install it. */
export class ChromiumMissingError extends Error {
  override readonly name = 'ChromiumMissingError';
}

/** Flags for a quiet, isolated, reproducible headless run (no network chatter, no profile reuse). */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-extensions',
  '--disable-dev-shm-usage',
  '--hide-scrollbars',
  '--mute-audio',
  '--remote-debugging-pipe',
];

interface CdpMessage {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string; code: number };
  sessionId?: string;
}

export interface PageOptions {
  /** Viewport width in CSS pixels. */
  readonly width: number;
  /** @default 900 */
  readonly height?: number;
  /** Emulate a phone (the viewport meta tag applies, touch). @default false */
  readonly mobile?: boolean;
  /** @default 'light' */
  readonly colorScheme?: 'light' | 'dark';
}

/** Throws ChromiumMissingError unless chromium can be executed. */
export function assertChromiumInstalled(path = CHROMIUM_PATH): void {
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new ChromiumMissingError(
      `chromium not found at ${path}: this test renders the email in a real browser. Install Debian's chromium ` +
        `(sudo apt-get install -y chromium) or point CHROMIUM_PATH at a chromium binary.`,
    );
  }
}

export class Chromium {
  private nextId = 0;
  private readonly pending = new Map<
    number,
    { resolve: (r: Record<string, unknown>) => void; reject: (e: Error) => void; method: string }
  >();
  private readonly listeners = new Set<(message: CdpMessage) => void>();
  private buffer = '';
  private exited = false;
  private stderr = '';

  private constructor(
    private readonly child: ChildProcess,
    private readonly profileDir: string,
  ) {
    const output = child.stdio[4] as Readable;
    output.setEncoding('utf8');
    output.on('data', (chunk: string) => this.receive(chunk));
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-4000);
    });
    child.on('exit', (code, signal) => {
      this.exited = true;
      for (const { reject, method } of this.pending.values()) {
        reject(new Error(`chromium exited (${code ?? signal}) before answering ${method}; stderr:\n${this.stderr}`));
      }
      this.pending.clear();
    });
  }

  /** Starts chromium with a fresh profile directory. */
  static async launch(path = CHROMIUM_PATH): Promise<Chromium> {
    assertChromiumInstalled(path);
    const profileDir = mkdtempSync(join(tmpdir(), 'adpilot-chromium-'));
    const child = spawn(path, [...FLAGS, `--user-data-dir=${profileDir}`, 'about:blank'], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
    });
    const browser = new Chromium(child, profileDir);
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    await browser.send('Browser.getVersion');
    return browser;
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    let end = this.buffer.indexOf('\0');
    while (end >= 0) {
      const message = JSON.parse(this.buffer.slice(0, end)) as CdpMessage;
      this.buffer = this.buffer.slice(end + 1);
      end = this.buffer.indexOf('\0');
      if (message.id !== undefined) {
        const waiter = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.error) waiter?.reject(new Error(`${waiter.method}: ${message.error.message}`));
        else waiter?.resolve(message.result ?? {});
      } else {
        for (const listener of this.listeners) listener(message);
      }
    }
  }

  /** Sends one CDP command (to the browser, or to a page's session) and returns its result. */
  send<T = Record<string, unknown>>(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`chromium has exited; stderr:\n${this.stderr}`));
    this.nextId += 1;
    const id = this.nextId;
    const input = this.child.stdio[3] as Writable;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (r: Record<string, unknown>) => void, reject, method });
      input.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });
  }

  /** Resolves with the params of the next event `method` of the session. */
  waitFor(method: string, sessionId: string, timeoutMs = 30_000): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error(`no ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (message: CdpMessage) => {
        if (message.method !== method || message.sessionId !== sessionId) return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(message.params ?? {});
      };
      this.listeners.add(listener);
    });
  }

  /** Calls `handler` with the params of every event `method` of the session; returns the unsubscribe. */
  on(method: string, sessionId: string, handler: (params: Record<string, unknown>) => void): () => void {
    const listener = (message: CdpMessage) => {
      if (message.method === method && message.sessionId === sessionId) handler(message.params ?? {});
    };
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Opens a tab with the given viewport and color scheme, and loads `url` in it. */
  async open(url: string, options: PageOptions): Promise<Page> {
    const { targetId } = await this.send<{ targetId: string }>('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await this.send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true });
    const page = new Page(this, targetId, sessionId, options);
    await page.load(url);
    return page;
  }

  /** Closes the browser and removes its profile. */
  async close(): Promise<void> {
    if (!this.exited) {
      const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      await this.send('Browser.close').catch(() => undefined);
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.profileDir, { recursive: true, force: true });
  }
}

export class Page {
  /** Messages of dialogs (alert, confirm, prompt) the page tried to open: any is a script that ran. */
  readonly dialogs: string[] = [];

  constructor(
    private readonly browser: Chromium,
    private readonly targetId: string,
    readonly sessionId: string,
    readonly options: PageOptions,
  ) {}

  private stopWatchingDialogs: (() => void) | undefined;

  async load(url: string): Promise<void> {
    const { browser, sessionId, options } = this;
    // Any dialog is a script that ran: keep its message as evidence and dismiss it so the page cannot hang.
    this.stopWatchingDialogs ??= browser.on('Page.javascriptDialogOpening', sessionId, (params) => {
      this.dialogs.push(String(params.message));
      void browser.send('Page.handleJavaScriptDialog', { accept: false }, sessionId).catch(() => undefined);
    });
    await browser.send('Page.enable', {}, sessionId);
    await browser.send(
      'Emulation.setDeviceMetricsOverride',
      { width: options.width, height: options.height ?? 900, deviceScaleFactor: 1, mobile: options.mobile ?? false },
      sessionId,
    );
    await browser.send(
      'Emulation.setEmulatedMedia',
      { media: 'screen', features: [{ name: 'prefers-color-scheme', value: options.colorScheme ?? 'light' }] },
      sessionId,
    );
    const loaded = browser.waitFor('Page.loadEventFired', sessionId);
    const navigation = await browser.send<{ errorText?: string }>('Page.navigate', { url }, sessionId);
    if (navigation.errorText) throw new Error(`could not load ${url}: ${navigation.errorText}`);
    await loaded;
  }

  /** Evaluates an expression in the page and returns its value (JSON-serializable). */
  async evaluate<T>(expression: string): Promise<T> {
    const { result, exceptionDetails } = await this.browser.send<{
      result: { value?: unknown };
      exceptionDetails?: { text: string; exception?: { description?: string } };
    }>('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true }, this.sessionId);
    if (exceptionDetails) throw new Error(`evaluate failed: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
    return result.value as T;
  }

  /** Saves a PNG of the whole page (the full height, at the viewport width). */
  async screenshot(file: string): Promise<void> {
    const height = await this.evaluate<number>('Math.ceil(document.documentElement.scrollHeight)');
    const { data } = await this.browser.send<{ data: string }>(
      'Page.captureScreenshot',
      { format: 'png', captureBeyondViewport: true, clip: { x: 0, y: 0, width: this.options.width, height, scale: 1 } },
      this.sessionId,
    );
    writeFileSync(file, Buffer.from(data, 'base64'));
  }

  async close(): Promise<void> {
    this.stopWatchingDialogs?.();
    await this.browser.send('Target.closeTarget', { targetId: this.targetId });
  }
}
