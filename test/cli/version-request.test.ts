import assert from 'node:assert/strict'
import {formatUserAgent, hasInitHook, isVersionRequest, type OclifPackageJson} from '../../src/cli/version-request.js'

describe('cli/version-request', () => {
  const pjson: OclifPackageJson = {name: 'gwctl', version: '0.1.0', oclif: {plugins: ['@oclif/plugin-autocomplete']}}

  const requests: Array<[string[], OclifPackageJson, boolean]> = [
    [['--version'], pjson, true],
    [['--version', 'lint'], pjson, true],
    [['lint', '--version'], pjson, false],
    [[], pjson, false],
    [['-v'], pjson, false],
    [['-v'], {...pjson, oclif: {additionalVersionFlags: ['-v']}}, true],
    [['version'], pjson, false],
  ]
  for (const [argv, json, expected] of requests) {
    it(`argv [${argv.join(' ')}]${json.oclif?.additionalVersionFlags ? ' with additionalVersionFlags' : ''} → ${expected ? '' : 'not '}a version request`, () => {
      assert.equal(isVersionRequest(argv, json), expected)
    })
  }

  const hooks: Array<[string, OclifPackageJson, Record<string, OclifPackageJson | undefined>, boolean]> = [
    ['no hooks anywhere', pjson, {'@oclif/plugin-autocomplete': {name: '@oclif/plugin-autocomplete', version: '3.2.56', oclif: {hooks: {'plugins:postinstall': './lib/hooks/refresh-cache.js'}}}}, false],
    ['an init hook of the CLI', {...pjson, oclif: {hooks: {init: './dist/hooks/init.js'}}}, {}, true],
    ['other hooks of the CLI only', {name: 'gwctl', version: '0.1.0', oclif: {hooks: {finally: './dist/hooks/finally.js', command_not_found: './dist/hooks/nf.js'}}}, {}, false],
    ['an init hook of a plugin', pjson, {'@oclif/plugin-autocomplete': {name: '@oclif/plugin-autocomplete', version: '9', oclif: {hooks: {init: ['./lib/init.js']}}}}, true],
    ['a plugin whose package.json cannot be read', pjson, {}, true],
  ]
  for (const [label, json, plugins, expected] of hooks) {
    it(`${label} → ${expected ? 'oclif answers' : 'answered without oclif'}`, () => {
      assert.equal(hasInitHook(json, (name) => plugins[name]), expected)
    })
  }

  const agents: Array<[string, string, string]> = [
    ['linux', 'x64', 'gwctl/0.1.0 linux-x64 node-v20.20.2'],
    ['wsl', 'x64', 'gwctl/0.1.0 wsl-x64 node-v20.20.2'],
    ['win32', 'ia32', 'gwctl/0.1.0 win32-x86 node-v20.20.2'],
    ['darwin', 'arm64', 'gwctl/0.1.0 darwin-arm64 node-v20.20.2'],
  ]
  for (const [platform, arch, expected] of agents) {
    it(`user agent on ${platform}-${arch} is oclif's: ${expected}`, () => {
      assert.equal(formatUserAgent(pjson, {platform, arch, nodeVersion: 'v20.20.2'}), expected)
    })
  }
})
