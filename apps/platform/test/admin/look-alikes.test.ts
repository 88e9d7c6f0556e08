import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defined } from '../../../../test-support/defined.js';
import { findLookAlikes } from '../../src/programs/look-alikes/find-look-alikes.js';
import {
  hammingDistance,
  LOGO_DISTANCE_THRESHOLD,
  logoDhash,
} from '../../src/programs/look-alikes/logo-hash.js';
import { compareNames, nameKey } from '../../src/programs/look-alikes/normalize-name.js';
import { saveProgramLogo } from '../../src/programs/program-logo.js';
import { createProgram } from '../../src/programs/program-repository.js';
import { drawLogo, reencode } from '../helpers/images.js';
import { DIALECTS, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

describe('name keys: NFKC, case folding, no spaces or punctuation', () => {
  it.each([
    ['Demo Mart', 'demomart'],
    ['ＤＥＭＯ　ＭＡＲＴ', 'demomart'], // full-width Latin and ideographic space
    ['Demo-Mart!', 'demomart'],
    ['ﾃﾞﾓﾏｰﾄ', 'デモマート'], // half-width katakana → full-width
    ['デモマート', 'デモマート'],
    ['Straße', 'strasse'], // full case folding
    ['ﬁne foods', 'finefoods'], // ligature
    ['全家便利商店', '全家便利商店'],
  ])('%s → %s', (name, key) => {
    expect(nameKey(name)).toBe(key);
  });

  it.each([
    ['Demo Mart', 'ＤＥＭＯ ＭＡＲＴ', 'same'],
    ['デモマート', 'ﾃﾞﾓﾏｰﾄ', 'same'],
    ['Ｓｅｖｅｎ－Ｅｌｅｖｅｎ', 'seven eleven', 'same'],
    ['Demo Mart', 'Demo Mart Official Store', 'contains'],
    ['全家便利商店', '全家便利商店 會員卡', 'contains'],
    ['Demo Mart', 'Dem0 Mart', 'similar'],
    ['Starbucks Rewards', 'Starbuck Reward', 'similar'],
  ])('%s ≈ %s (%s)', (a, b, match) => {
    expect(compareNames(a, b)).toBe(match);
  });

  it.each([
    ['Demo Mart', 'Coffee Corner'],
    ['AB', 'ABC'], // too short to call one a part of the other
    ['Cat', 'Car'], // short keys need an exact match
    ['全家便利商店', '萊爾富'],
    ['Sunrise Bakery', 'Sunset Bikes'],
  ])('%s is not like %s', (a, b) => {
    expect(compareNames(a, b)).toBeUndefined();
  });
});

describe('logo dHash', () => {
  it('keeps a re-encoded, resized copy within the threshold and puts other logos far away', async () => {
    const rings = await drawLogo('rings');
    const original = defined(await logoDhash(rings));
    expect(original).toMatch(/^[0-9a-f]{16}$/);
    for (const copy of [
      await reencode(rings),
      await drawLogo('rings', 'webp'),
      await drawLogo('rings', 'jpeg'),
    ]) {
      expect(hammingDistance(original, defined(await logoDhash(copy)))).toBeLessThanOrEqual(
        LOGO_DISTANCE_THRESHOLD,
      );
    }
    for (const other of ['stripes', 'diagonal', 'checker'] as const) {
      const distance = hammingDistance(original, defined(await logoDhash(await drawLogo(other))));
      expect(distance).toBeGreaterThan(LOGO_DISTANCE_THRESHOLD);
    }
  });

  it('answers undefined for bytes that are not an image', async () => {
    expect(await logoDhash(Buffer.from('not an image at all'))).toBeUndefined();
    expect(
      await logoDhash(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0])),
    ).toBeUndefined();
  });
});

describe.each(DIALECTS)('findLookAlikes on %s', (dialect) => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform(dialect);
  });
  afterAll(async () => {
    await platform?.close();
  });

  it('finds LIVE programs by name, logo and binding host, and leaves out unrelated and non-LIVE ones', async () => {
    const make = async (name: string, status: 'LIVE' | 'DRAFT', bindingUrl: string, logo?: Buffer) => {
      const { program } = await createProgram(platform.ctx, { name, codeType: 'EAN13', bindingUrl, status });
      if (logo) await saveProgramLogo(platform.ctx, program.channelId, 'image/png', logo);
      return program.channelId;
    };
    const rings = await drawLogo('rings');
    const real = await make('デモマート', 'LIVE', 'https://demo-mart.example/bind', rings);
    const stripes = await make(
      'Coffee Corner',
      'LIVE',
      'https://coffee.example/bind',
      await drawLogo('stripes'),
    );
    const draftTwin = await make('デモマート', 'DRAFT', 'https://draft.example/bind');
    const sameHost = await make('Something Else', 'LIVE', 'https://copycat.example/other');
    const copycat = await make('ﾃﾞﾓﾏｰﾄ', 'DRAFT', 'https://copycat.example/bind');
    const copyLogo = defined(await logoDhash(await reencode(rings)));

    const found = await findLookAlikes(platform.ctx.db, {
      channelId: copycat,
      names: ['ﾃﾞﾓﾏｰﾄ'],
      dhashes: [copyLogo],
      bindingHosts: ['copycat.example'],
    });
    expect(found.byName.map((p) => [p.channelId, p.match])).toEqual([[real, 'same']]);
    expect(found.byLogo.map((p) => p.channelId)).toEqual([real]);
    expect(found.byBindingHost.map((p) => p.channelId)).toEqual([sameHost]);
    const all = [...found.byName, ...found.byLogo].map((p) => p.channelId);
    expect(all).not.toContain(stripes);
    expect(all).not.toContain(draftTwin);
  });
});
