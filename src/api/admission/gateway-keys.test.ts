import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayKeyring, generateGatewayKey, hashKey } from './gateway-keys';

describe('GatewayKeyring', () => {
  it('finds the owner of a key it holds only as a hash', () => {
    const keyring = new GatewayKeyring();
    const key = generateGatewayKey();
    keyring.add(key, 'acme');
    const owner = keyring.find(key);
    assert.equal(owner?.tenant, 'acme');
    assert.equal(owner?.keyId, `key_${hashKey(key).slice(0, 12)}`);
    assert.ok(!JSON.stringify(owner).includes(key));
    assert.equal(keyring.find(`${key}x`), undefined);
  });

  it('generates distinct development keys', () => {
    assert.notEqual(generateGatewayKey(), generateGatewayKey());
    assert.match(generateGatewayKey(), /^gw-dev-[A-Za-z0-9_-]{24}$/);
  });
});
