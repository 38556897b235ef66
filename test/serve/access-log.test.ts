import assert from 'node:assert/strict'
import {AccessLog} from '../../src/serve/access-log.js'

describe('serve/access-log', () => {
  const entry = {time: '2025-01-01T00:00:00.000Z', client: '127.0.0.1:5000', port: 443, sni: 'app.example.com', listener: 'default/gw/tls',
    route: 'TLSRoute default/app', backend: 'default/app:443', upstream: '127.0.0.1:9443', bytesIn: 517, bytesOut: 3000, durationMs: 12, outcome: 'ok'}
  const capture = () => {
    const written: string[] = []
    return {written, sink: {write: (text: string) => written.push(text)}}
  }

  it('text: one line per entry, batched into one write per turn', () => {
    const {written, sink} = capture()
    const log = new AccessLog(sink, 'text')
    log.access(entry)
    log.access({...entry, outcome: 'no-listener', reason: 'no listener takes SNI x', route: undefined, backend: undefined, upstream: undefined})
    log.flush()
    assert.deepEqual(written, [
      '2025-01-01T00:00:00.000Z 127.0.0.1:5000 :443 sni=app.example.com listener=default/gw/tls route="TLSRoute default/app" backend=default/app:443 upstream=127.0.0.1:9443 in=517 out=3000 ms=12 ok\n'
      + '2025-01-01T00:00:00.000Z 127.0.0.1:5000 :443 sni=app.example.com listener=default/gw/tls in=517 out=3000 ms=12 no-listener (no listener takes SNI x)\n',
    ])
  })

  it('text: the client certificate verdict of a validating listener (Gateway spec.tls.frontend), quoted when it has spaces', () => {
    const {written, sink} = capture()
    const log = new AccessLog(sink, 'text')
    log.access({...entry, clientCert: 'no client certificate, accepted (AllowInsecureFallback)'})
    log.flush()
    assert.match(written[0], / sni=app\.example\.com clientCert="no client certificate, accepted \(AllowInsecureFallback\)" listener=/)
  })

  it('json: event first, undefined fields left out', () => {
    const {written, sink} = capture()
    const log = new AccessLog(sink, 'json')
    log.access({...entry, reason: undefined})
    log.flush()
    assert.deepEqual(JSON.parse(written[0]), {event: 'access', ...entry})
    assert.ok(written[0].startsWith('{"event":"access","time"'))
  })
  it('a pool worker names itself in every line (text worker=PID, JSON "worker": PID)', () => {
    const {written, sink} = capture()
    const text = new AccessLog(sink, 'text', 4242)
    text.access(entry)
    text.event('refused', 'connection cap reached')
    text.flush()
    assert.match(written[0], / upstream=127\.0\.0\.1:9443 worker=4242 in=517 /)
    assert.match(written[0], /\n\[refused\] worker=4242 connection cap reached\n$/)
    const json = new AccessLog(sink, 'json', 4242)
    json.access(entry)
    json.event('refused', 'connection cap reached')
    json.flush()
    const [access, event] = written[1].trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)
    assert.deepEqual(access, {event: 'access', worker: 4242, ...entry})
    assert.deepEqual([event.event, event.worker, event.message], ['refused', 4242, 'connection cap reached'])
  })

  it('text: one line per entry whatever the error text holds (newlines, control characters escaped)', () => {
    const {written, sink} = capture()
    const log = new AccessLog(sink, 'text')
    log.access({...entry, path: '/a\x01b', outcome: 'backend-bad-response', reason: 'invalid reason phrase "O\x01K"\nsecond line\r\tend\u2028'})
    log.event('internal-error', 'request: Error: boom\nat x')
    log.flush()
    assert.deepEqual(written[0].split('\n').slice(0, -1), [
      '2025-01-01T00:00:00.000Z 127.0.0.1:5000 :443 sni=app.example.com path="/a\\u0001b" listener=default/gw/tls route="TLSRoute default/app" backend=default/app:443 upstream=127.0.0.1:9443 in=517 out=3000 ms=12 backend-bad-response (invalid reason phrase "O\\u0001K"\\nsecond line\\r\\tend\\u2028)',
      '[internal-error] request: Error: boom\\nat x',
    ])
  })

  it('json: one line per entry, control characters escaped by JSON', () => {
    const {written, sink} = capture()
    const log = new AccessLog(sink, 'json')
    log.access({...entry, reason: 'a\nb\x01'})
    log.flush()
    assert.equal(written[0].split('\n').length, 2)
    assert.equal(JSON.parse(written[0]).reason, 'a\nb\x01')
  })
})
