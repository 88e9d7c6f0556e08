import { describe, expect, it } from 'vitest';
import { checkLogo, formatKiB, LOGO_MAX_BYTES, sniffImageType, squareCrop } from '../src/lib/logo-file.js';

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff, 0xe0];
const WEBP = [0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x57, 0x45, 0x42, 0x50];
const bytes = (head: number[], size = 64) => {
  const b = new Uint8Array(size);
  b.set(head);
  return b;
};

describe('logo checks (by content, like the platform)', () => {
  it('recognises PNG, JPEG and WebP by their magic bytes', () => {
    expect(sniffImageType(bytes(PNG))).toBe('image/png');
    expect(sniffImageType(bytes(JPEG))).toBe('image/jpeg');
    expect(sniffImageType(bytes(WEBP))).toBe('image/webp');
    expect(sniffImageType(new TextEncoder().encode('GIF89a......'))).toBeUndefined();
    expect(
      sniffImageType(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg">')),
    ).toBeUndefined();
  });

  it('refuses other types, empty files and files over 512 KiB', () => {
    expect(checkLogo(bytes(PNG))).toEqual({ ok: true, type: 'image/png' });
    expect(checkLogo(bytes(PNG, LOGO_MAX_BYTES))).toEqual({ ok: true, type: 'image/png' });
    expect(checkLogo(bytes(PNG, LOGO_MAX_BYTES + 1))).toEqual({ ok: false, problem: 'size' });
    expect(checkLogo(new Uint8Array())).toEqual({ ok: false, problem: 'empty' });
    expect(checkLogo(new TextEncoder().encode('<script>alert(1)</script>'))).toEqual({
      ok: false,
      problem: 'type',
    });
  });

  it('crops the centred square and scales down to at most 256', () => {
    expect(squareCrop(1000, 600)).toEqual({ sx: 200, sy: 0, side: 600, size: 256 });
    expect(squareCrop(120, 200)).toEqual({ sx: 0, sy: 40, side: 120, size: 120 });
  });

  it('formats sizes in KiB', () => {
    expect(formatKiB(1536)).toBe('1.5 KiB');
    expect(formatKiB(600 * 1024)).toBe('600 KiB');
  });
});
