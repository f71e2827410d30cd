import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { Report } from '@verdict/checker';

/** A job as the service returns it (the fields the gate reads). */
export interface GateJob {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
  outcome: string | null;
  error: { code: string; message: string } | null;
  progress: { phase: string; done?: number; total?: number } | null;
}

/** An error answer of the service: its status and the `{ code, message }` body. */
export class GateHttpError extends Error {
  override readonly name = 'GateHttpError';
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/** The few calls `verdict gate` makes, all with the bearer token and one deadline. */
export class GateClient {
  constructor(private readonly server: string, private readonly token: string, private readonly signal: AbortSignal) {}

  /** Uploads a history file gzip-compressed as it is read: any size, bounded memory. */
  async submitHistory(file: string, options: { model?: string; init?: string; format?: string; levels?: boolean }): Promise<GateJob> {
    const query = new URLSearchParams({ source: basename(file) });
    if (options.levels === true) query.set('levels', 'true');
    for (const k of ['model', 'init', 'format'] as const) if (options[k] !== undefined) query.set(k, options[k]);
    // A read error (the file went away) fails the upload, never the process.
    const gzip = createGzip();
    createReadStream(file).on('error', (e) => gzip.destroy(e)).pipe(gzip);
    const body = Readable.toWeb(gzip) as ReadableStream<Uint8Array>;
    return this.json<GateJob>(`/jobs?${query.toString()}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', 'content-encoding': 'gzip' },
      body,
      duplex: 'half',
    } as RequestInit);
  }

  submitRun(spec: Record<string, unknown>): Promise<GateJob> {
    return this.json<GateJob>('/jobs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(spec) });
  }

  job(id: string): Promise<GateJob> {
    return this.json<GateJob>(`/jobs/${id}`);
  }

  report(id: string): Promise<Report> {
    return this.json<Report>(`/jobs/${id}/report`);
  }

  async cancel(id: string): Promise<void> {
    await fetch(`${this.server}/jobs/${id}`, { method: 'DELETE', headers: this.auth(), signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
  }

  /**
   * Follows the job's server-sent events until `end` (resolves true) or until the stream closes
   * early (false: the caller polls instead).
   */
  async follow(id: string, onEvent: (event: string, data: unknown) => void): Promise<boolean> {
    const res = await fetch(`${this.server}/jobs/${id}/events`, { headers: { ...this.auth(), accept: 'text/event-stream' }, signal: this.signal });
    if (!res.ok || res.body === null) return false;
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const event = /^event: (.*)$/m.exec(frame)?.[1];
        const data = /^data: (.*)$/m.exec(frame)?.[1];
        if (event === undefined || data === undefined) continue;
        onEvent(event, JSON.parse(data));
        if (event === 'end') return true;
      }
    }
    return false;
  }

  private auth(): Record<string, string> {
    return { authorization: `Bearer ${this.token}` };
  }

  private async json<T>(path: string, init: RequestInit = {}): Promise<T> {
    const res = await fetch(`${this.server}${path}`, { ...init, headers: { ...this.auth(), ...(init.headers as Record<string, string> | undefined) }, signal: this.signal });
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = { message: text.slice(0, 200) };
    }
    if (!res.ok) {
      const b = body as { code?: string; message?: string };
      throw new GateHttpError(res.status, b.code ?? `HTTP_${res.status}`, b.message ?? res.statusText);
    }
    return body as T;
  }
}
