/**
 * The committed implementation data is what the conformance reports give:
 * compiled again from ../shared/conformance-reports (skipped, saying why,
 * when it is absent) and compared byte for byte.
 */
import {strict as assert} from 'node:assert'
import {existsSync, readFileSync} from 'node:fs'
import {compileCatalogue, DATA_FILE, readFeatures, renderDataFile, REPORTS_DIRECTORY} from '../../scripts/compile-implementations.js'

describe('scripts/compile-implementations', () => {
  it('src/implementations/implementation-data.ts has not drifted from ../shared/conformance-reports', function () {
    if (!existsSync(REPORTS_DIRECTORY)) {
      process.stderr.write(`      skipped: ${REPORTS_DIRECTORY} is absent, so the data cannot be compiled again\n`)
      this.skip()
    }
    const text = renderDataFile(compileCatalogue(REPORTS_DIRECTORY))
    assert.ok(text === readFileSync(DATA_FILE, 'utf8'), 'src/implementations/implementation-data.ts is out of date: run npm run implementations')
  })

  it('reads the FEATURES.md table, skipping its header and separator', () => {
    const features = readFeatures([
      '| feature | level | channel | description |',
      '|---|---|---|---|',
      '| TLSRouteModeMixed | Extended | Experimental | TLSRoute mode Mixed (extended conformance) |',
      '| UDPRoute | ? | Standard | SupportUDPRoute option |',
    ].join('\n'))
    assert.deepEqual(features, [
      {name: 'TLSRouteModeMixed', level: 'Extended', channel: 'Experimental', description: 'TLSRoute mode Mixed (extended conformance)'},
      {name: 'UDPRoute', level: '?', channel: 'Standard', description: 'SupportUDPRoute option'},
    ])
  })
})
