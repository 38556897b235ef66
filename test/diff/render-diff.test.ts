/**
 * Text and markdown of a DiffReport: summary first, one line or table row
 * per entry, markdown cells escaped, colour only when asked.
 */
import {strict as assert} from 'node:assert'
import type {DiffReport} from '../../src/diff/diff-report.js'
import {MAX_TABLE_ROWS, renderDiffMarkdown} from '../../src/diff/render-diff-markdown.js'
import {renderDiffText} from '../../src/diff/render-diff-text.js'

const REPORT: DiffReport = {
  version: 1,
  old: {source: 'old/', files: 1, resources: 3, blockingErrors: 0, skipped: []},
  new: {source: 'new/', files: 1, resources: 3, blockingErrors: 1, skipped: []},
  summary: {trafficChanged: true, routes: {added: 1, removed: 0, changed: 1}, resources: {added: 0, removed: 0}, conditions: 1, findings: {appeared: 1, fixed: 0}},
  routes: [
    {change: 'changed', port: 443, gateway: {namespace: 'web', name: 'gw'}, listener: 'https', hostname: 'shop.example.com', route: {kind: 'HTTPRoute', namespace: 'web', name: 'shop'}, match: 'PathPrefix /a|b', aspects: ['backends'],
      old: {protocol: 'HTTPS', mode: 'Terminate', ready: true, backends: [{kind: 'Service', backend: 'web/api:80', share: 100, valid: true}]},
      new: {protocol: 'HTTPS', mode: 'Terminate', ready: true, backends: [{kind: 'Service', backend: 'web/api:80', share: 90, valid: true}, {kind: 'Service', backend: 'web/v2:80', share: 10, valid: true}]}},
    {change: 'added', port: 443, gateway: {namespace: 'web', name: 'gw'}, listener: 'tls', hostname: '*', new: {protocol: 'TLS', mode: 'Passthrough', ready: false, backends: []}},
  ],
  resources: {added: [], removed: []},
  conditions: [{resource: {kind: 'Gateway', namespace: 'web', name: 'gw'}, scope: 'listener tls', type: 'Programmed', new: {status: 'False', reason: 'Invalid', message: 'no'}}],
  findings: {appeared: [{ruleId: 'schema-cel', severity: 'error', message: 'bad', resource: {kind: 'Gateway', namespace: 'web', name: 'gw'}, file: 'gw.yaml', line: 3, column: 5}], fixed: []},
}

describe('render diff', () => {
  it('text: summary, then routing, conditions and findings', () => {
    assert.equal(renderDiffText(REPORT, false), [
      'gwctl diff: old/ → new/',
      'traffic changes: routing rows 1 added, 1 changed; 1 condition flips; findings: 1 appeared, 0 fixed; the new configuration has 1 error the API server would reject',
      '',
      'Routing (port, Gateway listener, hostname, route and match → backends)',
      '~ 443 web/gw listener https  shop.example.com  HTTPRoute web/shop PathPrefix /a|b',
      '    backends: web/api:80 100% → web/api:80 90%, web/v2:80 10%',
      '+ 443 web/gw listener tls  *  (no route) [TLS/Passthrough] (listener not ready) → no backend',
      '',
      'Conditions',
      '  Gateway web/gw listener tls: Programmed not set → False (Invalid) — no',
      '',
      'Findings',
      '+ appeared error schema-cel Gateway web/gw: bad gw.yaml:3:5',
    ].join('\n'))
  })

  it('text: how many files each side skipped, when some were', () => {
    const skipping: DiffReport = {...REPORT, old: {...REPORT.old, skipped: [{file: 'values.yaml', reason: 'no apiVersion or kind in any document'}]}}
    assert.equal(renderDiffText(skipping, false).split('\n')[2], 'files skipped: 1 old, 0 new (no Kubernetes object, excluded, gwctl test files, links at a git ref; -o json lists them)')
  })

  it('text: ANSI colours only when asked', () => {
    assert.doesNotMatch(renderDiffText(REPORT, false), /\u001B\[/)
    assert.match(renderDiffText(REPORT, true), /\u001B\[32m/)
  })

  it('markdown: the summary line first; table cells escape pipes', () => {
    const lines = renderDiffMarkdown(REPORT).split('\n')
    assert.equal(lines[0], '**gwctl diff**: traffic changes: routing rows 1 added, 1 changed; 1 condition flips; findings: 1 appeared, 0 fixed; the new configuration has 1 error the API server would reject')
    assert.ok(lines.includes('| ✏️ changed | 443 web/gw listener https | shop.example.com | HTTPRoute web/shop PathPrefix /a\\|b | backends: web/api:80 100% | backends: web/api:80 90%, web/v2:80 10% |'), lines.join('\n'))
    assert.ok(lines.includes('| Gateway web/gw listener tls | Programmed | not set | False (Invalid) | no |'))
    assert.ok(lines.includes('| 🆕 appeared | error | `schema-cel` | Gateway web/gw | bad | `gw.yaml:3:5` |'))
  })

  it('markdown: no change is one line', () => {
    const quiet: DiffReport = {...REPORT, new: {...REPORT.new, blockingErrors: 0}, summary: {trafficChanged: false, routes: {added: 0, removed: 0, changed: 0}, resources: {added: 0, removed: 0}, conditions: 0, findings: {appeared: 0, fixed: 0}}, routes: [], conditions: [], findings: {appeared: [], fixed: []}}
    assert.deepEqual(renderDiffMarkdown(quiet).split('\n'), ['**gwctl diff**: no traffic change; no condition flips; no finding appears or is fixed', '', '<sub>old/ → new/</sub>'])
  })
})

describe('render diff: markdown of a large change', () => {
  it(`stops a table at ${MAX_TABLE_ROWS} rows and says how many more json lists`, () => {
    const template = REPORT.findings.appeared[0]
    const many: DiffReport = {...REPORT, routes: [], conditions: [], findings: {appeared: Array.from({length: MAX_TABLE_ROWS + 7}, (_, index) => ({...template, line: index + 1})), fixed: []}}
    const lines = renderDiffMarkdown(many).split('\n')
    assert.equal(lines.filter((line) => line.startsWith('| 🆕 appeared ')).length, MAX_TABLE_ROWS)
    assert.equal(lines.at(-1), '…and 7 more (`gwctl diff -o json` lists them all)')
  })
})
