/**
 * The protocol's error table (src/protocol/errors.ts), built from its
 * compact string: every row keeps its name, code, message and fatal mark.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ERRORS, ProtocolError, errorCode, errorInfo, isFatalCode, type ErrorName } from '../src/protocol/errors.js';

test('the table: 61 rows, codes unique, explicit and implied codes, the three fatal ones', () => {
  const names = Object.keys(ERRORS) as ErrorName[];
  assert.equal(names.length, 61);
  assert.equal(new Set(names.map((name) => ERRORS[name][0])).size, 61);
  assert.deepEqual(ERRORS.CLOSE_NORMAL, [1000, 'Connection closed normally']);
  assert.deepEqual(ERRORS.APP_NOT_AVAILABLE, [4100, 'App not available', 'fatal']);
  assert.deepEqual(ERRORS.INVALID_LOGIN, [4103, 'Invalid clientId', 'fatal']);
  assert.deepEqual(ERRORS.SESSION_REQUIRED, [4105, 'No session is open for this client']);
  assert.deepEqual(ERRORS.UNBIND_INSTALLATION_FAILED, [4117, 'Unbinding the installation failed']);
  assert.deepEqual(ERRORS.CONVERSATION_OPERATION_UNAUTHORIZED, [4320, 'Not allowed to do this in the conversation']);
  assert.deepEqual(ERRORS.CONVERSATION_MEMBER_INFO_FEATURE_DISABLED, [4325, 'Member info is disabled']);
  assert.deepEqual(ERRORS.BLACKLIST_FEATURE_DISABLED, [4544, 'Blacklists are disabled']);
  assert.deepEqual(ERRORS.OWNER_PROMOTION_NOT_ALLOWED, [5130, 'The owner cannot be promoted']);
  assert.deepEqual(names.filter((name) => ERRORS[name][2] === 'fatal'), ['APP_NOT_AVAILABLE', 'INVALID_LOGIN', 'INVALID_ORIGIN']);
  assert.ok(names.every((name) => /^[A-Z_]+$/.test(name) && ERRORS[name][1].length > 0));
});

test('lookups by name and by code, and the errors made from them', () => {
  assert.equal(errorCode('CONVERSATION_NOT_FOUND'), 4303);
  assert.deepEqual(errorInfo(4563), { name: 'SILIENCED', message: 'Muted in this conversation' });
  assert.equal(errorInfo(4104), undefined);
  assert.equal(isFatalCode(4110), true);
  assert.equal(isFatalCode(4111), false);
  const error = new ProtocolError(4401);
  assert.equal(error.name, 'INVALID_MESSAGING_TARGET');
  assert.equal(error.message, 'Not a member of the conversation');
  const named = ProtocolError.of('MESSAGE_NOT_FOUND', 'no such id');
  assert.deepEqual([named.code, named.name, named.message, named.detail], [4404, 'MESSAGE_NOT_FOUND', 'MESSAGE_NOT_FOUND', 'no such id']);
});
