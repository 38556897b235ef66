import {strict as assert} from 'node:assert'
import {settleLintOptions, settlePipelineOptions, type PipelineFlags} from '../../src/config/apply-config.js'
import type {GwctlConfig} from '../../src/config/gwctl-config.js'

const FULL: GwctlConfig = {
  file: '.gwctl.yaml', directory: '/repo', rules: {'backend-not-found': 'off'}, exclude: ['charts/', 'sub/*.tmpl.yaml', '/abs/x'],
  channel: 'standard', failOn: 'warning', requireRefs: true, gatewayClass: ['internal'], expiryWarning: '2w', output: 'sarif', namespace: 'team-a',
}

describe('settlePipelineOptions: flag, then .gwctl.yaml, then the built-in default', () => {
  const cases: Array<{name: string; flags: PipelineFlags; config?: GwctlConfig; expected: ReturnType<typeof settlePipelineOptions>}> = [
    {
      name: 'no flag, no file: built-in defaults',
      flags: {},
      expected: {defaultNamespace: 'default', channel: 'experimental', gatewayClassNames: undefined, requireRefs: false, expiryWarningDays: 30, exclude: undefined, rules: undefined},
    },
    {
      name: 'the file fills what no flag gives; relative globs taken from its directory',
      flags: {},
      config: FULL,
      expected: {
        defaultNamespace: 'team-a', channel: 'standard', gatewayClassNames: ['internal'], requireRefs: true, expiryWarningDays: 14,
        exclude: ['charts', '/repo/sub/*.tmpl.yaml', '/abs/x'], rules: {levels: {'backend-not-found': 'off'}, file: '.gwctl.yaml'},
      },
    },
    {
      name: 'flags win over the file, --no-require-refs included',
      flags: {namespace: 'web', channel: 'experimental', 'gateway-class': ['public'], 'require-refs': false, 'expiry-warning': '12h'},
      config: FULL,
      expected: {
        defaultNamespace: 'web', channel: 'experimental', gatewayClassNames: ['public'], requireRefs: false, expiryWarningDays: 0.5,
        exclude: ['charts', '/repo/sub/*.tmpl.yaml', '/abs/x'], rules: {levels: {'backend-not-found': 'off'}, file: '.gwctl.yaml'},
      },
    },
    {
      name: 'an empty file changes nothing',
      flags: {'require-refs': true},
      config: {file: '.gwctl.yaml', directory: '/repo', rules: {}, exclude: []},
      expected: {defaultNamespace: 'default', channel: 'experimental', gatewayClassNames: undefined, requireRefs: true, expiryWarningDays: 30, exclude: undefined, rules: undefined},
    },
  ]
  for (const {name, flags, config, expected} of cases) {
    it(name, () => assert.deepEqual(settlePipelineOptions(flags, config), expected))
  }
})

describe('settleLintOptions', () => {
  const cases: Array<{name: string; flags: {output?: string; 'fail-on'?: string}; config?: GwctlConfig; expected: ReturnType<typeof settleLintOptions>}> = [
    {name: 'defaults', flags: {}, expected: {output: 'stylish', failOn: 'error'}},
    {name: 'from the file', flags: {}, config: FULL, expected: {output: 'sarif', failOn: 'warning'}},
    {name: 'flags win', flags: {output: 'json', 'fail-on': 'none'}, config: FULL, expected: {output: 'json', failOn: 'none'}},
  ]
  for (const {name, flags, config, expected} of cases) {
    it(name, () => assert.deepEqual(settleLintOptions(flags, config), expected))
  }
})
