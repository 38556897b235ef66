/**
 * Golden tests of the binding engine (Envoy Gateway style): every
 * `test/golden/<case>.in.yaml` is loaded, bound, and its computed status and
 * engine problems are compared with `<case>.out.yaml`. Regenerate with
 * `npm run golden:update` (GWCTL_UPDATE_GOLDEN=1) and review the diff.
 */
import {strict as assert} from 'node:assert'
import {readdirSync, readFileSync, writeFileSync, existsSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {stringify} from 'yaml'
import {renderGolden} from './render-golden.js'

const here = dirname(fileURLToPath(import.meta.url))
const update = process.env.GWCTL_UPDATE_GOLDEN === '1'

describe('golden: engine status and problems', () => {
  const cases = readdirSync(here).filter((name) => name.endsWith('.in.yaml')).sort()
  it('has cases', () => assert.ok(cases.length > 0))
  for (const name of cases) {
    const base = name.slice(0, -'.in.yaml'.length)
    it(base, () => {
      const input = readFileSync(join(here, name), 'utf8')
      const actual = stringify(renderGolden(input, `${base}.in.yaml`), {lineWidth: 0})
      const outPath = join(here, `${base}.out.yaml`)
      if (update || !existsSync(outPath)) {
        writeFileSync(outPath, actual)
        if (!update) assert.fail(`${base}.out.yaml did not exist; written — review it and run again`)
        return
      }
      assert.equal(actual, readFileSync(outPath, 'utf8'), `${base}: output differs from ${base}.out.yaml (GWCTL_UPDATE_GOLDEN=1 to regenerate)`)
    })
  }
})
