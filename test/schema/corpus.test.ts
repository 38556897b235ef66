import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {parseManifestText} from '../../src/manifests/parse-manifest-text.js'
import type {SourceObject} from '../../src/manifests/source.js'
import {validateObject} from '../../src/schema/validate-object.js'

/** Whole-manifest corpora in test/schema/manifests: valid.yaml passes clean, each document of invalid.yaml fails as its annotation says. */
function loadCorpus(name: string): SourceObject[] {
  const file = `test/schema/manifests/${name}`
  const parsed = parseManifestText(readFileSync(new URL(`manifests/${name}`, import.meta.url), 'utf8'), file)
  assert.deepEqual(parsed.findings, [])
  return parsed.objects
}

describe('schema: manifest corpora', () => {
  describe('valid.yaml', () => {
    for (const obj of loadCorpus('valid.yaml')) {
      it(`${obj.apiVersion} ${obj.kind} ${obj.name}`, () => {
        const result = validateObject(obj, {channel: 'experimental'})
        assert.equal(result.known, true)
        const unexpected = result.findings.filter((f) => !(f.ruleId === 'schema-deprecated-version' && /\/v1alpha[23]$/.test(obj.apiVersion))
          && !(f.ruleId === 'schema-status-ignored' && f.severity === 'info'))
        assert.deepEqual(unexpected.map((f) => `${f.line}:${f.column} ${f.ruleId} ${f.field}: ${f.message}`), [])
      })
    }
  })

  describe('invalid.yaml', () => {
    for (const obj of loadCorpus('invalid.yaml')) {
      const expect = ((obj.object.metadata as {annotations?: Record<string, string>}).annotations ?? {})['gwctl.test/expect']
      it(`${obj.kind} ${obj.name}: ${expect}`, () => {
        const {findings} = validateObject(obj, {channel: 'experimental'})
        const errors = findings.filter((f) => f.severity === 'error').map((f) => `${f.ruleId} ${f.field}`)
        assert.ok(errors.includes(expect), `expected "${expect}" among ${JSON.stringify(errors)}`)
      })
    }
  })
})
