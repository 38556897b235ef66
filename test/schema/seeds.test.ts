import assert from 'node:assert/strict'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {parseManifestText} from '../../src/manifests/parse-manifest-text.js'
import {validateObject} from '../../src/schema/validate-object.js'
import {sharedPath, skipWithoutShared} from '../support/shared-directory.js'

/**
 * The YAML examples of the reference how-tos in ../shared/seeds (what users
 * write today) pass schema validation: the only findings allowed are the
 * deprecation warnings of TLSRoute v1alpha2. Blocks are dedented, `kubectl
 * apply -f - <<EOF` wrappers dropped and the `{{ gwapi_version }}` template
 * variable set to v1. Skipped, saying so, without ../shared.
 */
const SEEDS = sharedPath('seeds')

function extractYamlBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^([ \t]*)```ya?ml\n([\s\S]*?)^\1```/gm)].map(([, indent, body]) =>
    body
      .split('\n')
      .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line))
      .filter((line) => !/^kubectl .*<<\s*EOF$|^EOF$/.test(line.trim()))
      .join('\n')
      .replaceAll('{{ gwapi_version }}', 'v1'),
  )
}

/** Findings other than the v1alpha2 deprecation warnings, and how many Gateway API objects were validated. */
function validateSeed(file: string): {findings: string[]; validated: number} {
  const findings: string[] = []
  let validated = 0
  extractYamlBlocks(readFileSync(join(SEEDS, file), 'utf8')).forEach((block, index) => {
    for (const obj of parseManifestText(block, `${file}#${index}`).objects) {
      const result = validateObject(obj, {channel: 'experimental'})
      if (result.known) validated++
      for (const f of result.findings) {
        if (!(f.ruleId === 'schema-deprecated-version' && obj.apiVersion.endsWith('/v1alpha2'))) findings.push(`${f.file}:${f.line} ${f.ruleId} ${f.field}: ${f.message}`)
      }
    }
  })
  return {findings, validated}
}

describe('schema: seed examples', function () {
  before(function () {
    skipWithoutShared(this, SEEDS, 'validating the reference how-tos')
  })
  const files = existsSync(SEEDS) ? readdirSync(SEEDS).filter((f) => f.endsWith('.txt')).sort() : []
  for (const file of files) {
    it(file, () => assert.deepEqual(validateSeed(file).findings, []))
  }

  it('finds the Gateway API objects of the seeds', () => {
    const validated = files.reduce((n, file) => n + validateSeed(file).validated, 0)
    assert.ok(validated >= 15, `${validated} objects`)
  })
})
