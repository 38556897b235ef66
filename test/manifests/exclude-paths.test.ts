import {strict as assert} from 'node:assert'
import {createExcludeMatcher} from '../../src/manifests/exclude-paths.js'
import {UserError} from '../../src/errors/user-error.js'

describe('createExcludeMatcher', () => {
  const cwd = '/repo'
  const CASES: Array<{pattern: string; path: string; excluded: boolean}> = [
    {pattern: 'charts', path: '/repo/charts', excluded: true},
    {pattern: 'charts', path: '/repo/charts/app/values.yaml', excluded: true},
    {pattern: 'charts', path: '/repo/deploy/charts/values.yaml', excluded: true},
    {pattern: 'charts/', path: '/repo/charts/app/values.yaml', excluded: true},
    {pattern: './charts/**', path: '/repo/charts/app/values.yaml', excluded: true},
    {pattern: 'charts/**', path: '/repo/deploy/charts/values.yaml', excluded: false},
    {pattern: 'values.yaml', path: '/repo/charts/app/values.yaml', excluded: true},
    {pattern: 'values.yaml', path: '/repo/charts/app/values.yml', excluded: false},
    {pattern: '*.json', path: '/repo/package.json', excluded: true},
    {pattern: '*.json', path: '/repo/schemas/standard/gateway.json', excluded: true},
    {pattern: 'test/golden', path: '/repo/test/golden/a.in.yaml', excluded: true},
    {pattern: 'test/golden', path: '/repo/golden/test/a.yaml', excluded: false},
    {pattern: '**/*.out.yaml', path: '/repo/test/golden/a.out.yaml', excluded: true},
    {pattern: '**/*.out.yaml', path: '/repo/test/golden/a.in.yaml', excluded: false},
    {pattern: 'test/{golden,schema}/**', path: '/repo/test/schema/manifests/invalid.yaml', excluded: true},
    {pattern: '/repo/schemas', path: '/repo/schemas/index.json', excluded: true},
    {pattern: '/elsewhere/**', path: '/elsewhere/x.yaml', excluded: true},
    {pattern: '../shared/**', path: '/shared/gw.yaml', excluded: true},
    {pattern: 'gw-?.yaml', path: '/repo/gw-a.yaml', excluded: true},
    {pattern: '*', path: '/repo', excluded: false},
  ]
  for (const {pattern, path, excluded} of CASES) {
    it(`${pattern} ${excluded ? 'excludes' : 'keeps'} ${path}`, () => {
      assert.equal(createExcludeMatcher([pattern], cwd)!(path), excluded ? pattern : undefined)
    })
  }

  it('names the first pattern that matches', () => {
    assert.equal(createExcludeMatcher(['*.json', 'package.json'], cwd)!('/repo/package.json'), '*.json')
  })

  it('is undefined without patterns, and refuses a pattern that names no path', () => {
    assert.equal(createExcludeMatcher([], cwd), undefined)
    for (const pattern of ['', ' ', './', '.', '/repo']) {
      assert.throws(() => createExcludeMatcher([pattern], cwd), (error: unknown) => error instanceof UserError && error.kind === 'usage' && /names no path/.test(error.message))
    }
  })
})
