import assert from 'node:assert/strict'
import {explainUnknownCommand, OTHER_GWCTL_COMMANDS} from '../../src/cli/unknown-command.js'

describe('cli/unknown-command', () => {
  const known = {commandIds: ['lint', 'resolve', 'serve', 'help', 'certs:create', 'certs:inspect', 'autocomplete'], topics: ['certs']}
  const table: Array<[string, string, string]> = [
    ['lnt', "unknown command 'lnt'", "did you mean 'lint'? see gwctl help"],
    ['lnt:fixtures/', "unknown command 'lnt'", "did you mean 'lint'? see gwctl help"],
    ['reslove', "unknown command 'reslove'", "did you mean 'resolve'? see gwctl help"],
    ['cert', "unknown command 'cert'", "did you mean 'certs'? see gwctl help"],
    ['certs:inspct', "unknown command 'certs inspct'", "did you mean 'certs inspect'? see gwctl help"],
    ['certs:creat:ca', "unknown command 'certs creat'", "did you mean 'certs create'? see gwctl help"],
    ['frobnicate', "unknown command 'frobnicate'", 'see gwctl help'],
    ['fixtures/', "unknown command 'fixtures/'", 'to check manifests: gwctl lint fixtures/'],
    ['gateway.yaml', "unknown command 'gateway.yaml'", 'to check manifests: gwctl lint gateway.yaml'],
    ['--fail-on', "'--fail-on' before a command: flags go after the command name", 'gwctl COMMAND --fail-on; see gwctl help'],
  ]
  for (const [id, message, hint] of table) {
    it(`${id} → ${hint}`, () => {
      const error = explainUnknownCommand(id, known)
      assert.deepEqual([error.kind, error.message, error.hint], ['usage', message, hint])
    })
  }

  for (const command of ['get', 'describe', 'analyze', 'apply', 'delete']) {
    it(`${command}: this gwctl is the offline TLS toolkit; kubernetes-sigs/gwctl is a different program`, () => {
      const error = explainUnknownCommand(`${command}:gateways`, known)
      assert.equal(error.kind, 'usage')
      assert.equal(error.message, `unknown command '${command}': this gwctl is the offline Gateway API TLS toolkit (lint, resolve, certs, serve); kubernetes-sigs/gwctl, which talks to a cluster, is a different program`)
      assert.equal(error.hint, OTHER_GWCTL_COMMANDS[command] || 'see gwctl help')
      assert.doesNotMatch(`${error.message} ${error.hint}`, /\n/)
    })
  }

  it('the words of a known topic are not taken for the other program\'s commands', () => {
    assert.equal(explainUnknownCommand('certs:get', known).message, "unknown command 'certs get'")
  })
})
