// Plain Node, ESM: the package's "import" export.
import * as sdk from '@mycard/merchant';

const names = [
  'verifyBindingRequest',
  'createMyCardClient',
  'verifyWebhook',
  'generateTestSignatureHeaders',
  'createTestBindingRequest',
  'createTestPlatform',
];
const api = { ...sdk };
const missing = names.filter((n) => typeof api[n] !== 'function');
const error = new sdk.MyCardApiError({ returnCode: '3004', status: 409 });
console.log(
  JSON.stringify({
    format: 'esm',
    version: sdk.SDK_VERSION,
    missing,
    errorIsMyCardError: error instanceof sdk.MyCardError,
    resolved: import.meta.resolve('@mycard/merchant'),
  }),
);
