import {strict as assert} from 'node:assert'
import {anchorExcludePattern, compileExcludePatterns, compileGlob} from '../../src/manifests/exclude-patterns.js'

describe('exclude patterns', () => {
  describe('compileGlob', () => {
    const cases: Array<{glob: string; matches: string[]; misses: string[]}> = [
      {glob: '/r/*.yaml', matches: ['/r/a.yaml', '/r/.a.yaml'], misses: ['/r/sub/a.yaml', '/r/a.yml', '/ra.yaml']},
      {glob: '/r/**/values.yaml', matches: ['/r/values.yaml', '/r/a/values.yaml', '/r/a/b/values.yaml'], misses: ['/r/a/values.yaml.bak', '/r/a/my-values.yaml']},
      {glob: '/r/charts/**', matches: ['/r/charts/', '/r/charts/a.yaml', '/r/charts/x/y.yaml'], misses: ['/r/charts2/a.yaml']},
      {glob: '/r/a?.yaml', matches: ['/r/ab.yaml'], misses: ['/r/a.yaml', '/r/a/.yaml', '/r/abc.yaml']},
      {glob: '/r/[ab]-[!0-9].yaml', matches: ['/r/a-x.yaml', '/r/b-y.yaml'], misses: ['/r/c-x.yaml', '/r/a-1.yaml']},
      {glob: '/r/*.{yaml,yml}', matches: ['/r/a.yaml', '/r/a.yml'], misses: ['/r/a.json']},
      {glob: '/r/x+(y).yaml', matches: ['/r/x+(y).yaml'], misses: ['/r/xy.yaml', '/r/xxy.yaml']},
      {glob: '/r/a**b/c', matches: ['/r/ab/c', '/r/axxb/c'], misses: ['/r/a/b/c']},
    ]
    for (const {glob, matches, misses} of cases) {
      it(glob, () => {
        const expression = compileGlob(glob)
        for (const path of matches) assert.ok(expression.test(path), `${glob} matches ${path}`)
        for (const path of misses) assert.ok(!expression.test(path), `${glob} does not match ${path}`)
      })
    }
  })

  describe('anchorExcludePattern: relative globs from their base', () => {
    const cases: Array<{pattern: string; base: string; expected: string}> = [
      {pattern: 'values.yaml', base: '/repo', expected: '/repo/**/values.yaml'},
      {pattern: 'charts/', base: '/repo', expected: '/repo/**/charts'},
      {pattern: 'deploy/*.tmpl.yaml', base: '/repo/', expected: '/repo/deploy/*.tmpl.yaml'},
      {pattern: './deploy/x.yaml', base: '/repo', expected: '/repo/deploy/x.yaml'},
      {pattern: '**/values.yaml', base: '/repo', expected: '/repo/**/values.yaml'},
      {pattern: '/abs/vendor/', base: '/repo', expected: '/abs/vendor'},
    ]
    for (const {pattern, base, expected} of cases) {
      it(`${pattern} from ${base}`, () => assert.equal(anchorExcludePattern(pattern, base), expected))
    }
  })

  describe('compileExcludePatterns: a path or a parent below the root matches', () => {
    const isExcluded = compileExcludePatterns(['vendor', 'deploy/*.tmpl.yaml', '/elsewhere/**'], '/repo')
    const cases: Array<{path: string; root: string; expected: boolean}> = [
      {path: '/repo/vendor', root: '/repo', expected: true},
      {path: '/repo/a/vendor/x.yaml', root: '/repo', expected: true},
      {path: '/repo/a/vendors/x.yaml', root: '/repo', expected: false},
      {path: '/repo/deploy/a.tmpl.yaml', root: '/repo', expected: true},
      {path: '/repo/deploy/a.yaml', root: '/repo', expected: false},
      {path: '/repo/x/deploy/a.tmpl.yaml', root: '/repo', expected: false},
      {path: '/repo/vendor/x.yaml', root: '/repo/vendor', expected: false},
      {path: '/elsewhere/a.yaml', root: '/', expected: true},
    ]
    for (const {path, root, expected} of cases) {
      it(`${path} under ${root}: ${expected ? 'excluded' : 'kept'}`, () => assert.equal(isExcluded(path, root), expected))
    }
    it('no pattern excludes nothing', () => assert.equal(compileExcludePatterns([], '/repo')('/repo/a.yaml', '/repo'), false))
  })
})
