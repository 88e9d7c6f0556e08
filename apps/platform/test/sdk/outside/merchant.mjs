// A merchant server's part of a real binding, with the installed package and plain Node. One step
// per run (argv[2]); input from MYCARD_* variables; prints one JSON line.
import { createServer } from 'node:http';
import { createMyCardClient, verifyBindingRequest, verifyWebhook } from '@mycard/merchant';

const env = process.env;
const client = createMyCardClient({
  baseUrl: env.MYCARD_PLATFORM_URL,
  channelId: env.MYCARD_CHANNEL_ID,
  channelSecret: env.MYCARD_CHANNEL_SECRET,
});
const out = (value) => console.log(JSON.stringify(value));

switch (process.argv[2]) {
  case 'bind': {
    // The binding page: verify the request the wallet opened it with, then Apply.
    const query = new URL(env.MYCARD_BINDING_PAGE_URL).searchParams;
    const binding = await verifyBindingRequest(query, {
      channelId: env.MYCARD_CHANNEL_ID,
      issuer: env.MYCARD_PLATFORM_URL,
      jwksUrl: `${env.MYCARD_PLATFORM_URL}/.well-known/jwks.json`,
    });
    const applied = await client.apply({
      token: query.get('token'),
      membershipCode: env.MYCARD_MEMBERSHIP_CODE,
    });
    out({ bindingId: binding.bindingId, callback: binding.callback, ...applied });
    break;
  }
  case 'profile': {
    const updated = await client.updateProfile({
      bindingId: env.MYCARD_BINDING_ID,
      profile: { displayName: 'Outside Tester', points: 120, version: 1 },
    });
    out(updated);
    break;
  }
  case 'one-time-key': {
    out(await client.resolveOneTimeKey(env.MYCARD_ONE_TIME_KEY));
    break;
  }
  case 'webhook': {
    // Receives one delivery, verifies it over the raw bytes, answers 200 and exits.
    const server = createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', async () => {
        try {
          const event = await verifyWebhook({
            headers: req.headers,
            rawBody: Buffer.concat(chunks),
            path: '/mycard/webhook',
            channelSecret: env.MYCARD_CHANNEL_SECRET,
          });
          res.writeHead(200).end();
          out({ verified: true, type: event.type, bindingId: event.data.bindingId });
        } catch (err) {
          res.writeHead(401).end();
          out({ verified: false, code: err.code });
        }
        server.close();
      });
    });
    server.listen(Number(env.MYCARD_WEBHOOK_PORT), '127.0.0.1', () => console.error('listening'));
    break;
  }
  default:
    throw new Error(`unknown step ${process.argv[2]}`);
}
