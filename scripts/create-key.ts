// `npm run key:create -- <tenant> [key-id]`: makes a new gateway key, prints it once, and prints
// the config entry that holds only its SHA-256. The key itself is never written anywhere.
import { generateGatewayKey, hashKey } from '../src/api/admission/gateway-keys';

const [tenant, keyId = `key-${new Date().toISOString().slice(0, 10)}`] = process.argv.slice(2);
if (!tenant || !/^[a-z0-9][a-z0-9._-]*$/i.test(tenant)) {
  console.error('usage: npm run key:create -- <tenant> [key-id]   (names use letters, digits, ".", "_" or "-")');
  process.exit(2);
}
const key = generateGatewayKey('gw');
console.log(`New key for tenant "${tenant}" (shown once; store it now):\n\n  ${key}\n`);
console.log(`Add under that tenant in ${process.env.GATEWAY_CONFIG ?? 'config/gateway.yaml'}:\n`);
console.log(`tenants:\n  - id: ${tenant}\n    keys:\n      - id: ${keyId}\n        sha256: ${hashKey(key)}`);
