// The API call log (a bounded ring) and per-action counters, read through the control API.
export interface Call {
  seq: number;
  time: string;
  service: string;
  action: string;
  status: number;
  ms: number;
  /** The AWS error code, for failed calls. */
  error?: string;
}

const LIMIT = 20_000;

export class CallLog {
  private calls: Call[] = [];
  private seq = 0;
  readonly counters = new Map<string, number>();

  record(service: string, action: string, status: number, ms: number, error?: string): void {
    const key = `${service}:${action}`;
    this.counters.set(key, (this.counters.get(key) ?? 0) + 1);
    this.calls.push({ seq: ++this.seq, time: new Date().toISOString(), service, action, status, ms: Math.round(ms * 100) / 100, error });
    if (this.calls.length > LIMIT) this.calls.splice(0, this.calls.length - LIMIT);
  }

  since(seq = 0): Call[] {
    return seq ? this.calls.filter((c) => c.seq > seq) : this.calls;
  }

  clear(): void {
    this.calls = [];
    this.counters.clear();
  }
}
