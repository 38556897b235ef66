/**
 * serve's log: one access line per connection (passthrough, TCP, an
 * upgraded HTTP connection), per request (terminated HTTP) or per UDP
 * session, plus events (ready, reload, refusals), as text
 * or JSON lines, always one line per entry (control characters in text
 * fields escaped). Lines are batched and written once per event-loop turn, so
 * a busy gateway does one write per turn rather than one per request. A
 * worker of `--workers N` names itself in every line (`worker=PID`, JSON
 * `"worker": PID`).
 */

export type LogFormat = 'text' | 'json'

export interface AccessEntry {
  /** ISO time the connection or request started. */
  time: string
  client: string
  /** Gateway listener port (not the local one). */
  port: number
  sni?: string
  /**
   * Client certificate on a listener with Gateway spec.tls.frontend
   * validation: `verified (subject)`, or what was wrong with it and that it
   * was accepted anyway (AllowInsecureFallback).
   */
  clientCert?: string
  host?: string
  /** HTTP version of the client's request when it is HTTP/2: `h2` (TLS) or `h2c`. */
  protocol?: string
  method?: string
  path?: string
  status?: number
  /** `namespace/gateway/listener`. */
  listener?: string
  /** `Kind namespace/name`. */
  route?: string
  /** `namespace/name:port` of the chosen backendRef. */
  backend?: string
  /** Local address the backend was mapped to. */
  upstream?: string
  bytesIn: number
  bytesOut: number
  durationMs: number
  /** ok, or what went wrong: refused, no-listener, timeout, backend-error, ... */
  outcome: string
  reason?: string
}

export interface LogSink {
  write(text: string): unknown
}

const TEXT_FIELDS: Array<keyof AccessEntry> = ['sni', 'clientCert', 'host', 'protocol', 'method', 'path', 'status', 'listener', 'route', 'backend', 'upstream']

/** Text values quoted (JSON string syntax): whitespace, quotes, backslashes and control characters. */
const NEEDS_QUOTES = /[\s"\\\x00-\x1f\x7f]/
const CONTROLS = /[\x00-\x1f\x7f\u2028\u2029]/g
const SHORT_ESCAPES: Record<string, string> = {'\n': '\\n', '\r': '\\r', '\t': '\\t'}

/** Free text (reasons, event messages) on one line: control characters escaped (\n, \r, \t, \u0001). */
function escapeControls(text: string): string {
  return text.replace(CONTROLS, (char) => SHORT_ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

export class AccessLog {
  private pending: string[] = []
  private scheduled = false

  /** `{"event":"access",` and, for a pool worker, its PID. */
  private readonly jsonPrefix: string
  private readonly textWorker: string

  constructor(private readonly sink: LogSink, readonly format: LogFormat, readonly worker?: number) {
    this.jsonPrefix = worker === undefined ? '{"event":"access",' : `{"event":"access","worker":${worker},`
    this.textWorker = worker === undefined ? '' : ` worker=${worker}`
  }

  access(entry: AccessEntry): void {
    if (this.format === 'json') {
      this.push(`${this.jsonPrefix}${JSON.stringify(entry).slice(1)}`)
      return
    }
    let line = `${entry.time} ${entry.client} :${entry.port}`
    for (const field of TEXT_FIELDS) {
      const value = entry[field]
      if (value !== undefined && value !== '') line += ` ${field}=${typeof value === 'string' && NEEDS_QUOTES.test(value) ? JSON.stringify(value) : value}`
    }
    line += `${this.textWorker} in=${entry.bytesIn} out=${entry.bytesOut} ms=${entry.durationMs} ${escapeControls(entry.outcome)}`
    if (entry.reason !== undefined) line += ` (${escapeControls(entry.reason)})`
    this.push(line)
  }

  /** A non-access event: text `[event] message`, JSON `{"event": ..., "message": ..., ...fields}`. */
  event(event: string, message: string, fields: Record<string, unknown> = {}): void {
    this.push(this.format === 'json'
      ? JSON.stringify({event, time: new Date().toISOString(), ...(this.worker === undefined ? {} : {worker: this.worker}), message, ...fields})
      : `[${event}]${this.textWorker} ${escapeControls(message)}`)
  }

  /** Write everything pending now (before exit). */
  flush(): void {
    this.scheduled = false
    if (this.pending.length === 0) return
    const text = `${this.pending.join('\n')}\n`
    this.pending = []
    this.sink.write(text)
  }

  private push(line: string): void {
    this.pending.push(line)
    if (!this.scheduled) {
      this.scheduled = true
      setImmediate(() => this.flush())
    }
  }
}
