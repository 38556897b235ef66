/**
 * What CI systems receive from the built CLI (npm run build first):
 * `helm template … | gwctl lint - -o sarif` must give a log GitHub code
 * scanning accepts (every result located, stdin included), and `-o junit`
 * must fail exactly the findings --fail-on fails.
 */
import {strict as assert} from 'node:assert'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {checkGithubSarif} from '../support/check-github-sarif.js'
import {runGwctl} from '../support/run-cli.js'

/** An HTTPRoute on an absent Gateway (warning) with a misspelled field (error). */
const MANIFEST = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: web
spec:
  parentRefs:
  - name: gw
  hostname: app.example.com
`

describe('gwctl lint for CI systems (e2e)', () => {
  let dir: string
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gwctl-ci-'))
    writeFileSync(join(dir, 'route.yaml'), MANIFEST)
  })
  after(() => rmSync(dir, {recursive: true, force: true}))

  it('lint - -o sarif from standard input: every result has a location GitHub accepts', async () => {
    const result = await runGwctl(['lint', '-', '-o', 'sarif'], {input: MANIFEST, cwd: dir})
    assert.equal(result.exitCode, 1, result.stderr)
    const log = JSON.parse(result.stdout)
    const [run] = log.runs
    assert.ok(run.results.length >= 2)
    assert.deepEqual(checkGithubSarif(log), [])
    for (const sarifResult of run.results) assert.equal(sarifResult.locations[0].physicalLocation.artifactLocation.uri, '%3Cstdin%3E')
    assert.equal(run.originalUriBaseIds['%SRCROOT%'].uri, `${pathToFileURL(dir).href}/`)
    assert.ok(run.tool.driver.rules.find((rule: {id: string}) => rule.id === 'schema-unknown-field').help.markdown.includes('**How to fix.**'))
  })

  it('lint DIR -o sarif: URIs relative to the working directory', async () => {
    const result = await runGwctl(['lint', '.', '-o', 'sarif'], {cwd: dir})
    const log = JSON.parse(result.stdout)
    assert.deepEqual(checkGithubSarif(log), [])
    assert.deepEqual(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation, {uri: 'route.yaml', uriBaseId: '%SRCROOT%'})
  })

  it('lint -o junit: the warning is a failure only with --fail-on warning', async () => {
    const byDefault = await runGwctl(['lint', 'route.yaml', '-o', 'junit'], {cwd: dir})
    assert.equal(byDefault.exitCode, 1)
    assert.match(byDefault.stdout, /<testsuites name="gwctl lint" tests="2" failures="1" errors="0" skipped="0">/)
    assert.match(byDefault.stdout, /<failure message="[^"]*" type="error">/)
    assert.match(byDefault.stdout, /\(below --fail-on error: not a failure\)<\/system-out>/)
    const strict = await runGwctl(['lint', 'route.yaml', '-o', 'junit', '--fail-on', 'warning'], {cwd: dir})
    assert.equal(strict.exitCode, 1)
    assert.match(strict.stdout, /<testsuites name="gwctl lint" tests="2" failures="2" errors="0" skipped="0">/)
  })
})
