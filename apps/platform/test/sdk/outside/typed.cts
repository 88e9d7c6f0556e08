// Compiled with tsc --strict against the package's .d.cts (CommonJS side).
import sdk = require('@mycard/merchant');

export function version(): string {
  const headers: Promise<Record<string, string>> = sdk.generateTestSignatureHeaders({
    channelId: '1234567890',
    channelSecret: 'a'.repeat(64),
    path: '/mycard/webhook',
    body: '{}',
  });
  void headers;
  return sdk.SDK_VERSION;
}
