// Plain Node, CommonJS: the package's "require" export, as an Express app would load it.
const sdk = require('@mycard/merchant');

const names = ['verifyBindingRequest', 'createMyCardClient', 'verifyWebhook', 'createTestBindingRequest'];
const missing = names.filter((n) => typeof sdk[n] !== 'function');
console.log(
  JSON.stringify({
    format: 'cjs',
    version: sdk.SDK_VERSION,
    missing,
    resolved: require.resolve('@mycard/merchant'),
  }),
);
