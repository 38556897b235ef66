import {strict as assert} from 'node:assert'
import {compareObservation} from '../../src/testing/compare-observation.js'
import type {TestExpectation, TestObservation} from '../../src/testing/routing-test.js'

const NOW = new Date('2026-01-01T00:00:00Z')

describe('testing/compare-observation: expected vs observed, with not checkable neither passing nor failing', () => {
  const cases: Array<{what: string; expect: TestExpectation; observed: TestObservation; tolerance?: number; verdict: string; checks: string[]}> = [
    {
      what: 'a single backend matches a 100% share',
      expect: {backend: 'a/app:443', route: 'TLSRoute a/app'},
      observed: {backend: 'a/app:443', backends: {'a/app:443': 100}, route: 'TLSRoute a/app', trace: []},
      verdict: 'passed', checks: ['backend passed', 'route passed'],
    },
    {
      what: 'a backend expected where the traffic is split fails, showing the shares',
      expect: {backend: 'a/stable:443'},
      observed: {backends: {'a/stable:443': 90, 'a/canary:443': 10}, trace: []},
      verdict: 'failed', checks: ['backend failed {"a/stable:443":90,"a/canary:443":10}'],
    },
    {
      what: 'shares compare exactly offline, within the executor\'s tolerance live',
      expect: {backends: {'a/stable:443': 90, 'a/canary:443': 10}},
      observed: {backends: {'a/stable:443': 87, 'a/canary:443': 13}, trace: []},
      tolerance: 5,
      verdict: 'passed', checks: ['backends passed'],
    },
    {
      what: 'a refusal expected but the connection is accepted: the note says what happened',
      expect: {refused: 'unrecognized_name'},
      observed: {backends: {'a/app:443': 100}, backend: 'a/app:443', trace: []},
      verdict: 'failed', checks: ['refused failed the connection was accepted: backends a/app:443 100%'],
    },
    {
      what: 'a backend expected but the connection is refused',
      expect: {backend: 'a/app:443'},
      observed: {refused: 'closed', trace: []},
      verdict: 'failed', checks: ['backend failed refused (closed)'],
    },
    {
      what: 'what the executor cannot observe is not checkable, and does not fail a test that passes otherwise',
      expect: {backend: 'a/app:80', status: 200, headers: {'x-served-by': 'app'}},
      observed: {backend: 'a/app:80', backends: {'a/app:80': 100}, notCheckable: {status: 'the backend answers', 'headers.x-served-by': 'set by the backend'}, trace: []},
      verdict: 'passed', checks: ['backend passed', 'status not-checkable the backend answers', 'headers.x-served-by not-checkable set by the backend'],
    },
    {
      what: 'a test nothing of which is observable is not checkable',
      expect: {status: 200},
      observed: {backend: 'a/app:80', backends: {'a/app:80': 100}, notCheckable: {status: 'the backend answers'}, trace: []},
      verdict: 'not-checkable', checks: ['status not-checkable the backend answers'],
    },
    {
      what: 'certificate: covers, secret and days left from notAfter',
      expect: {certificate: {covers: true, secret: 'web/shop-tls', validDaysAtLeast: 30}},
      observed: {certificate: {covers: false, secret: 'web/shop-tls', notAfter: '2026-01-11T00:00:00Z', subject: 'CN=store.example.com', dnsNames: ['store.example.com']}, trace: []},
      verdict: 'failed', checks: ['certificate.covers failed names store.example.com, subject CN=store.example.com', 'certificate.secret passed', 'certificate.validDaysAtLeast failed expires 2026-01-11'],
    },
    {
      what: 'header names compare case-insensitively; a redirect and its status',
      expect: {status: 301, redirect: 'https://www.example.com/a', headers: {'X-Frame': 'deny'}},
      observed: {status: 301, redirect: 'https://www.example.com/a', headers: {'x-frame': 'deny'}, trace: []},
      verdict: 'passed', checks: ['status passed', 'redirect passed', 'headers.X-Frame passed'],
    },
  ]
  for (const {what, expect, observed, tolerance, verdict, checks} of cases) {
    it(what, () => {
      const compared = compareObservation(expect, observed, {now: NOW, tolerance})
      assert.equal(compared.verdict, verdict)
      assert.deepEqual(compared.checks.map((check) => [check.key, check.outcome, check.outcome === 'failed' && check.actual !== undefined && typeof check.actual === 'object' ? JSON.stringify(check.actual) : check.note].filter(Boolean).join(' ')), checks)
    })
  }
})
