import {strict as assert} from 'node:assert'
import type {Finding} from '../../src/findings/finding.js'
import {buildImplementationMatrix, renderMatrixJson, renderMatrixText} from '../../src/lint/implementation-matrix.js'

function finding(ruleId: string, line: number, severity: Finding['severity'] = 'error'): Finding {
  return {ruleId, severity, category: 'semantic', message: `${ruleId} at ${line}`, file: 'a.yaml', line, column: 1}
}

describe('implementation matrix', () => {
  const conflict = [finding('listener-conflict', 3), finding('listener-conflict', 9)]
  const matrix = buildImplementationMatrix([
    {name: 'generic', findings: conflict},
    {name: 'nginx-gateway-fabric', version: '2.7.0', findings: []},
    {name: 'cilium', version: '1.20.0', findings: [...conflict, finding('implementation-unsupported-feature', 9)]},
    {name: 'airlock', version: '5.1.0', findings: [...conflict, finding('implementation-unsupported-feature', 12, 'warning')]},
  ], 'error')

  it('verdicts, counts, and what each adds to and removes from generic', () => {
    assert.deepEqual(matrix.rows.map((row) => [row.name, row.accepts, row.counts.error, row.counts.warning, row.added.length, row.removed.length]), [
      ['generic', false, 2, 0, 0, 0],
      ['nginx-gateway-fabric', true, 0, 0, 0, 2],
      ['cilium', false, 3, 0, 1, 0],
      ['airlock', false, 2, 1, 1, 0],
    ])
  })

  it('--fail-on warning makes a warning a rejection; none accepts everything', () => {
    assert.equal(buildImplementationMatrix([{name: 'generic', findings: [finding('x', 1, 'warning')]}], 'warning').rows[0].accepts, false)
    assert.equal(buildImplementationMatrix([{name: 'generic', findings: [finding('x', 1)]}], 'none').rows[0].accepts, true)
  })

  it('text: a table, then the findings each adds (+) and removes (-)', () => {
    const text = renderMatrixText(matrix)
    assert.match(text, /^IMPLEMENTATION +VERSION +VERDICT +ERRORS +WARNINGS +ADDS +REMOVES$/m)
    assert.match(text, /^nginx-gateway-fabric +2\.7\.0 +accepts +0 +0 +- +listener-conflict ×2$/m)
    assert.match(text, /^cilium 1\.20\.0:\n {2}\+ a\.yaml:9:1 {2}error {2}implementation-unsupported-feature at 9 {2}implementation-unsupported-feature$/m)
    assert.match(text, /^1 of 3 implementations accept the configuration/m)
  })

  it('json: failOn and one entry per implementation', () => {
    const json = JSON.parse(renderMatrixJson(matrix)) as {failOn: string; implementations: Array<{name: string; accepts: boolean}>}
    assert.equal(json.failOn, 'error')
    assert.deepEqual(json.implementations.map((row) => row.name), ['generic', 'nginx-gateway-fabric', 'cilium', 'airlock'])
  })
})
