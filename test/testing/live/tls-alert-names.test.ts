import assert from 'node:assert/strict'
import {describeRefusal, findReceivedAlert, nameTlsAlert} from '../../../src/testing/live/tls-alert-names.js'

describe('testing/live/tls-alert-names', () => {
  const cases: Array<{error: unknown; refused: string | undefined; why: string}> = [
    {error: new Error('C0:error:0A000458:SSL routines:ssl3_read_bytes:tlsv1 unrecognized name:rec_layer_s3.c:1601:SSL alert number 112'), refused: 'unrecognized_name', why: 'the alert number OpenSSL reports'},
    {error: new Error('...:sslv3 alert handshake failure:...:SSL alert number 40'), refused: 'handshake_failure', why: 'TLS 1.2 wording'},
    {error: new Error('...:tlsv13 alert certificate required:...:SSL alert number 116'), refused: 'certificate_required', why: 'TLS 1.3 post-handshake alert'},
    {error: new Error('...:SSL alert number 48'), refused: 'unknown_ca', why: 'any RFC 8446 alert'},
    {error: new Error('...:SSL alert number 250'), refused: 'alert_250', why: 'an unassigned number is still named'},
    {error: Object.assign(new Error('read ECONNRESET'), {code: 'ECONNRESET'}), refused: 'closed', why: 'a reset is a close without alert'},
    {error: new Error('Client network socket disconnected before secure TLS connection was established'), refused: 'closed', why: 'EOF during the handshake'},
    {error: new Error('socket hang up'), refused: 'closed', why: 'an HTTP request whose connection closed'},
    {error: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {code: 'ECONNREFUSED'}), refused: undefined, why: 'nothing listening is not a refusal by the gateway'},
    {error: new Error('no answer within 10 ms'), refused: undefined, why: 'a timeout is not a refusal'},
  ]
  for (const {error, refused, why} of cases) {
    it(`${String((error as Error).message).slice(0, 40)} → ${refused}: ${why}`, () => {
      assert.equal(describeRefusal(error), refused)
    })
  }

  it('names alerts by RFC 8446 §6 and finds none in an error without one', () => {
    assert.equal(nameTlsAlert(112), 'unrecognized_name')
    assert.equal(nameTlsAlert(120), 'no_application_protocol')
    assert.equal(findReceivedAlert(new Error('certificate has expired')), undefined)
  })
})
