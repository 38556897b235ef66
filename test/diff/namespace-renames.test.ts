/** --map-namespace OLD=NEW: parsing, and names read on the old side. */
import {strict as assert} from 'node:assert'
import {UserError} from '../../src/errors/user-error.js'
import {createRenamer, parseNamespaceRename} from '../../src/diff/namespace-renames.js'

describe('namespace renames', () => {
  const rename = createRenamer([parseNamespaceRename('shop=shop-prod'), parseNamespaceRename('shop-staging=prod')])
  const cases: Array<[string, string]> = [
    ['shop', 'shop-prod'],
    ['shop-payments', 'shop-prod-payments'],
    ['shop-staging', 'prod'],
    ['shop-staging-db', 'prod-db'],
    ['shopping', 'shopping'],
    ['other', 'other'],
  ]
  for (const [name, expected] of cases) it(`${name} → ${expected}`, () => assert.equal(rename(name), expected))

  it('without renames, names are kept', () => assert.equal(createRenamer([])('shop'), 'shop'))

  for (const bad of ['shop', 'shop=', '=prod', 'a=b=c', 'Shop=prod', 'shop=prod_1']) {
    it(`'${bad}' is a usage error`, () => assert.throws(() => parseNamespaceRename(bad), (error: unknown) => error instanceof UserError && error.kind === 'usage' && /must be OLD=NEW/.test(error.message)))
  }
})
