import {strict as assert} from 'node:assert'
import {validateConfig} from '../../src/config/validate-config.js'
import type {GwctlConfig} from '../../src/config/gwctl-config.js'
import {UserError} from '../../src/errors/user-error.js'

const SOURCE = {file: 'repo/.gwctl.yaml', directory: '/work/repo'}

/** What a config holds beyond its file and directory. */
function settingsOf(config: GwctlConfig): Omit<GwctlConfig, 'file' | 'directory'> {
  const {file: _file, directory: _directory, ...settings} = config
  return settings
}

describe('validateConfig', () => {
  describe('valid files', () => {
    const cases: Array<{name: string; text: string; expected: Omit<GwctlConfig, 'file' | 'directory'>}> = [
      {name: 'an empty file is an empty config', text: '', expected: {rules: {}, exclude: []}},
      {name: 'only comments', text: '# nothing pinned yet\n', expected: {rules: {}, exclude: []}},
      {
        name: 'every key',
        text: [
          'rules:',
          '  backend-not-found: off',
          '  reference-grant-unused: error',
          '  gateway-class-not-found: warning',
          '  listener-overlapping-tls: info',
          'exclude: [charts/, "**/values.yaml", /abs/vendor]',
          'channel: standard',
          'fail-on: warning',
          'require-refs: true',
          'gateway-class: [internal, public]',
          'expiry-warning: 2w',
          'output: sarif',
          'namespace: team-a',
          'implementation: ngf@2.6',
          '',
        ].join('\n'),
        expected: {
          rules: {'backend-not-found': 'off', 'reference-grant-unused': 'error', 'gateway-class-not-found': 'warning', 'listener-overlapping-tls': 'info'},
          exclude: ['charts/', '**/values.yaml', '/abs/vendor'],
          channel: 'standard',
          failOn: 'warning',
          requireRefs: true,
          gatewayClass: ['internal', 'public'],
          expiryWarning: '2w',
          output: 'sarif',
          namespace: 'team-a',
          implementation: 'ngf@2.6',
          implementationAt: 'repo/.gwctl.yaml:14:17',
        },
      },
      {name: 'block lists and an empty rules map', text: 'rules: {}\nexclude:\n  - vendor\n  - "*.tmpl.yaml"\n', expected: {rules: {}, exclude: ['vendor', '*.tmpl.yaml']}},
      {name: 'require-refs false', text: 'require-refs: false\n', expected: {rules: {}, exclude: [], requireRefs: false}},
      {name: 'the suppression rules are rule ids too', text: 'rules: {ignore-annotation-unused: off}\n', expected: {rules: {'ignore-annotation-unused': 'off'}, exclude: []}},
    ]
    for (const {name, text, expected} of cases) {
      it(name, () => {
        const config = validateConfig(text, SOURCE)
        assert.equal(config.file, SOURCE.file)
        assert.equal(config.directory, SOURCE.directory)
        assert.deepEqual(settingsOf(config), expected)
      })
    }
  })

  describe('invalid files: one line naming file:line:column, with a did-you-mean where one is close', () => {
    const cases: Array<{name: string; text: string; file: string; message: RegExp; hint?: RegExp}> = [
      {name: 'unknown key, close to a known one', text: 'channel: standard\nrule:\n  backend-not-found: off\n', file: 'repo/.gwctl.yaml:2:1', message: /^unknown key 'rule'$/, hint: /^did you mean 'rules'\?$/},
      {name: 'unknown key, nothing close', text: 'colour: true\n', file: 'repo/.gwctl.yaml:1:1', message: /^unknown key 'colour'$/, hint: /^known keys: rules, exclude, channel, fail-on, require-refs, gateway-class, expiry-warning, output, namespace, implementation$/},
      {name: 'a flag spelt with underscores', text: 'fail_on: warning\n', file: 'repo/.gwctl.yaml:1:1', message: /^unknown key 'fail_on'$/, hint: /did you mean 'fail-on'/},
      {name: 'unknown rule id', text: 'rules:\n  backend-not-fund: off\n', file: 'repo/.gwctl.yaml:2:3', message: /^unknown rule id 'backend-not-fund' in rules$/, hint: /^did you mean 'backend-not-found'\?$/},
      {name: 'unknown rule id, nothing close', text: 'rules:\n  no-such-thing-at-all: off\n', file: 'repo/.gwctl.yaml:2:3', message: /unknown rule id 'no-such-thing-at-all'/, hint: /gwctl rules lists them/},
      {name: 'rule level not a level', text: 'rules:\n  backend-not-found: warn\n', file: 'repo/.gwctl.yaml:2:22', message: /^rules\.backend-not-found must be off, error, warning or info, got 'warn'$/},
      {name: 'rule level a boolean', text: 'rules:\n  backend-not-found: false\n', file: 'repo/.gwctl.yaml:2:22', message: /got false$/},
      {name: 'rule level close to one', text: 'rules:\n  backend-not-found: eror\n', file: 'repo/.gwctl.yaml:2:22', message: /got 'eror'/, hint: /did you mean 'error'/},
      {name: 'rules not a map', text: 'rules: [backend-not-found]\n', file: 'repo/.gwctl.yaml:1:8', message: /^rules must be a map of rule id to off, error, warning or info, got a list$/},
      {name: 'channel not a choice', text: 'channel: stndard\n', file: 'repo/.gwctl.yaml:1:10', message: /^channel must be experimental or standard, got 'stndard'$/, hint: /did you mean 'standard'/},
      {name: 'fail-on not a choice', text: 'fail-on: never\n', file: 'repo/.gwctl.yaml:1:10', message: /^fail-on must be error, warning, info or none, got 'never'$/},
      {name: 'output not a format', text: 'output: sarf\n', file: 'repo/.gwctl.yaml:1:9', message: /^output must be stylish, json, sarif, junit or github, got 'sarf'$/, hint: /did you mean 'sarif'/},
      {name: 'require-refs a string', text: 'require-refs: "yes"\n', file: 'repo/.gwctl.yaml:1:15', message: /^require-refs must be true or false, got 'yes'$/},
      {name: 'gateway-class a single name', text: 'gateway-class: internal\n', file: 'repo/.gwctl.yaml:1:16', message: /^gateway-class must be a list of GatewayClass names, got 'internal'$/, hint: /write \[internal\]/},
      {name: 'gateway-class with a number in it', text: 'gateway-class: [a, 7]\n', file: 'repo/.gwctl.yaml:1:20', message: /this entry is 7/},
      {name: 'exclude with an empty glob', text: 'exclude: [vendor, ""]\n', file: 'repo/.gwctl.yaml:1:19', message: /^exclude must be a list of globs; this entry is ''$/},
      {name: 'exclude with a negation', text: 'exclude:\n  - vendor\n  - "!vendor/keep.yaml"\n', file: 'repo/.gwctl.yaml:3:5', message: /negated globs are not supported/},
      {name: 'expiry-warning a bare number', text: 'expiry-warning: 30\n', file: 'repo/.gwctl.yaml:1:17', message: /^expiry-warning must be a duration such as 30d, 12h or 2w, got 30$/},
      {name: 'expiry-warning not a duration', text: 'expiry-warning: soon\n', file: 'repo/.gwctl.yaml:1:17', message: /^expiry-warning: 'soon' is not a duration$/},
      {name: 'namespace not a namespace name', text: 'namespace: Team_A\n', file: 'repo/.gwctl.yaml:1:12', message: /^namespace 'Team_A' is not a valid namespace name/},
      {name: 'implementation not a name', text: 'implementation: [ngf]\n', file: 'repo/.gwctl.yaml:1:17', message: /^implementation must be NAME or NAME@VERSION/, hint: /gwctl implementations/},
      {name: 'implementation with an empty version', text: 'implementation: "ngf@"\n', file: 'repo/.gwctl.yaml:1:17', message: /^implementation must be NAME or NAME@VERSION .*got 'ngf@'$/},
      {name: 'a key with no value', text: 'channel:\n', file: 'repo/.gwctl.yaml:1:9', message: /got nothing$/},
      {name: 'not a map', text: '- rules\n', file: 'repo/.gwctl.yaml:1:1', message: /^must be a map of settings \(rules, exclude,/},
      {name: 'a key twice', text: 'channel: standard\nchannel: experimental\n', file: 'repo/.gwctl.yaml:2:1', message: /duplicate key/},
      {name: 'bad YAML', text: 'rules:\n  a: [b\n', file: 'repo/.gwctl.yaml:2:6', message: /flow sequence \[ is not closed/},
      {name: 'two documents', text: 'channel: standard\n---\noutput: json\n', file: 'repo/.gwctl.yaml:2:1', message: /several YAML documents/},
    ]
    for (const {name, text, file, message, hint} of cases) {
      it(name, () => {
        assert.throws(() => validateConfig(text, SOURCE), (error: unknown) => {
          assert.ok(error instanceof UserError, `a UserError, got ${String(error)}`)
          assert.equal(error.kind, 'usage')
          assert.equal(error.file, file)
          assert.match(error.message, message)
          assert.ok(!error.message.includes('\n'), 'one line')
          if (hint !== undefined) assert.match(error.hint ?? '', hint)
          return true
        })
      })
    }
  })
})
