import assert from 'node:assert/strict'
import {exitCodeForInspection} from '../../src/certs/inspect-exit-code.js'
import type {InspectReport} from '../../src/certs/inspect-certificates.js'
import type {Severity} from '../../src/findings/finding.js'

describe('certs/inspect-exit-code', () => {
  const report = (ok: boolean, ...severities: Severity[]): InspectReport => ({
    version: 1,
    ok,
    sources: [{file: 'a.crt', certificates: [], caCertificates: [], keys: [], problems: severities.map((severity) => ({ruleId: 'certificate-expiring', severity, message: severity}))}],
  })
  const table: Array<[string, InspectReport, Severity | 'none', 0 | 1]> = [
    ['clean', report(true), 'info', 0],
    ['an error', report(true, 'error'), 'error', 1],
    ['an error, --fail-on none', report(true, 'error'), 'none', 0],
    ['a warning', report(true, 'warning'), 'error', 0],
    ['a warning, --fail-on warning', report(true, 'warning'), 'warning', 1],
    ['an info, --fail-on warning', report(true, 'info'), 'warning', 0],
    ['an info, --fail-on info', report(true, 'info'), 'info', 1],
    ['a key without its certificate or a failed chain', report(false), 'error', 1],
    ['a key without its certificate, --fail-on none', report(false), 'none', 0],
  ]
  for (const [what, input, failOn, expected] of table) it(`${what} → ${expected}`, () => assert.equal(exitCodeForInspection(input, failOn), expected))
})
