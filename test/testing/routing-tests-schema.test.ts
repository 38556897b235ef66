/**
 * The test-file JSON Schema is published as schemas/routing-tests.schema.json
 * (for editors: yaml-language-server, VS Code `yaml.schemas`); it must be the
 * schema gwctl validates with. GWCTL_UPDATE_GOLDEN=1 rewrites it.
 */
import {strict as assert} from 'node:assert'
import {readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {ROUTING_TESTS_SCHEMA} from '../../src/testing/routing-tests-schema.js'
import {REPO_ROOT} from '../support/fixture-expectations.js'

const FILE = path.join(REPO_ROOT, 'schemas', 'routing-tests.schema.json')

describe('testing/routing-tests-schema: the published schema is the one gwctl validates with', () => {
  it('schemas/routing-tests.schema.json equals ROUTING_TESTS_SCHEMA', () => {
    const expected = `${JSON.stringify({$schema: 'https://json-schema.org/draft/2020-12/schema', title: 'gwctl routing tests (*.gwctl-test.yaml)', ...ROUTING_TESTS_SCHEMA}, null, 1)}\n`
    if (process.env.GWCTL_UPDATE_GOLDEN === '1') writeFileSync(FILE, expected)
    assert.equal(readFileSync(FILE, 'utf8'), expected, 'GWCTL_UPDATE_GOLDEN=1 npx mocha test/testing/routing-tests-schema.test.ts rewrites it')
  })
})
