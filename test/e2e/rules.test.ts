/**
 * `gwctl rules` end to end (the built CLI: npm run build first): the table,
 * --category, one rule in full, JSON, and an unknown id (exit 2, did-you-mean).
 */
import {strict as assert} from 'node:assert'
import {listRules} from '../../src/pipeline/rule-catalogue.js'
import {runGwctl} from '../support/run-cli.js'

describe('gwctl rules (e2e)', () => {
  it('lists every rule, one line each after a header', async () => {
    const result = await runGwctl(['rules'])
    assert.equal(result.exitCode, 0, result.stderr)
    const lines = result.stdout.split('\n')
    assert.match(lines[0], /^RULE +CATEGORY +SEVERITY +SUMMARY$/)
    assert.deepEqual(lines.slice(1).map((line) => line.split(/\s+/)[0]), listRules().map((rule) => rule.id))
    assert.match(result.stdout, /^certificate-expired +certificate +error +A certificate in tls.crt is past its notAfter date\.$/m)
  })

  it('piped standard input is not read as a rule id', async () => {
    const result = await runGwctl(['rules'], {input: 'listener-route-kind\n'})
    assert.equal(result.exitCode, 0, result.stderr)
    assert.match(result.stdout, /^RULE +CATEGORY/)
  })

  it('--category narrows the list', async () => {
    const result = await runGwctl(['rules', '--category', 'certificate'])
    assert.equal(result.exitCode, 0, result.stderr)
    const ids = result.stdout.split('\n').slice(1).map((line) => line.split(/\s+/)[0])
    assert.deepEqual(ids, listRules().filter((rule) => rule.category === 'certificate').map((rule) => rule.id))
  })

  it('explains one rule', async () => {
    const result = await runGwctl(['rules', 'listener-route-kind'])
    assert.equal(result.exitCode, 0, result.stderr)
    assert.match(result.stdout, /^listener-route-kind\nsemantic rule · default severity error\n\n/)
    for (const heading of ['Why it matters:', 'How to fix:', 'Example:']) assert.ok(result.stdout.includes(`\n${heading}\n`), heading)
    assert.ok(result.stdout.includes('\n  kind: TLSRoute\n'))
    assert.ok(result.stdout.split('\n').every((line) => line.length <= 80 || line.startsWith('  ')), 'prose wrapped at 80 columns when piped')
  })

  it('-o json: the list and one rule', async () => {
    const list = await runGwctl(['rules', '-o', 'json'])
    assert.equal(list.exitCode, 0, list.stderr)
    const parsed = JSON.parse(list.stdout)
    assert.equal(parsed.version, 1)
    assert.equal(parsed.rules.length, listRules().length)
    const one = await runGwctl(['rules', 'backend-not-found', '--output', 'json'])
    assert.equal(one.exitCode, 0, one.stderr)
    const rule = JSON.parse(one.stdout).rule
    assert.equal(rule.id, 'backend-not-found')
    assert.equal(rule.defaultSeverity, 'warning')
    assert.ok('yaml' in rule.example)
  })

  it('an unknown rule id: exit 2, one line with a did-you-mean; as JSON with -o json', async () => {
    const text = await runGwctl(['rules', 'listner-route-kind'])
    assert.equal(text.exitCode, 2)
    assert.equal(text.stdout, '')
    assert.equal(text.stderr, "gwctl: unknown rule 'listner-route-kind' (did you mean 'listener-route-kind'? gwctl rules lists every rule)")
    const json = await runGwctl(['rules', 'nope', '-o', 'json'])
    assert.equal(json.exitCode, 2)
    assert.deepEqual(JSON.parse(json.stdout), {error: {code: 'usage', message: "unknown rule 'nope'", hint: 'gwctl rules lists every rule'}})
  })
})
