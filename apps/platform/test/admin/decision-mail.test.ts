import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, signUp } from '../console/console-client.js';
import { programOf, requestGoLive, signUpAdmin } from '../helpers/admin.js';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';

/** A local SMTP sink: accepts every message and keeps it (no TLS, no auth, loopback only). */
async function startSink() {
  const messages: { to: string[]; data: string }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, done) {
      let data = '';
      stream.on('data', (chunk: Buffer) => {
        data += chunk.toString('utf8');
      });
      stream.on('end', () => {
        messages.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
        done();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as { port: number };
  return { messages, port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('decision e-mail (SMTP configured)', () => {
  let sink: Awaited<ReturnType<typeof startSink>>;
  let platform: TestPlatform;
  beforeAll(async () => {
    sink = await startSink();
    platform = await startTestPlatform('sqlite', {
      programReview: 'required',
      smtpUrl: `smtp://127.0.0.1:${sink.port}`,
      mailFrom: 'My Card <review@mycard.test>',
    });
  });
  afterAll(async () => {
    await platform?.close();
    await sink?.close();
  });

  it('e-mails the operator the rejection with its reasons, besides the console notice', async () => {
    const owner = await signUp(platform, 'owner@shop.example');
    const admin = await signUpAdmin(platform, 'admin@mycard.example');
    const { channelId } = await programOf(platform, owner, { name: 'Tea House' });
    const reviewId = await requestGoLive(platform, owner, channelId);
    const res = await call(platform, admin, 'POST', `/admin/reviews/${reviewId}/reject`, {
      reasons: ['The binding page does not load'],
    });
    expect(res.statusCode).toBe(200);
    expect(sink.messages).toHaveLength(1);
    const [mail] = sink.messages;
    expect(mail?.to).toEqual(['owner@shop.example']);
    expect(mail?.data).toContain('From: My Card <review@mycard.test>');
    expect(mail?.data).toContain('Tea House');
    expect(mail?.data).toContain('The binding page does not load');
    expect((await call(platform, owner, 'GET', '/notices')).json().info.notices).toHaveLength(1);
  });
});

describe('decision e-mail (SMTP unreachable)', () => {
  it('keeps the decision and the console notice when the mail server is down', async () => {
    const platform = await startTestPlatform('sqlite', {
      programReview: 'required',
      smtpUrl: 'smtp://127.0.0.1:1',
    });
    try {
      const owner = await signUp(platform, 'owner@shop.example');
      const admin = await signUpAdmin(platform, 'admin@mycard.example');
      const { channelId } = await programOf(platform, owner);
      const reviewId = await requestGoLive(platform, owner, channelId);
      const res = await call(platform, admin, 'POST', `/admin/reviews/${reviewId}/approve`, {});
      expect(res.json().info.program.status).toBe('LIVE');
      expect((await call(platform, owner, 'GET', '/notices')).json().info.notices[0].kind).toBe(
        'go-live.approved',
      );
    } finally {
      await platform.close();
    }
  });
});
