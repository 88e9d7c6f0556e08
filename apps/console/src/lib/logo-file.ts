/**
 * Client-side checks of a logo before upload, the same as the platform's (PROTOCOL.md §7): PNG,
 * JPEG or WebP judged by content (magic bytes, not the file name), at most 512 KiB.
 */
export const LOGO_MAX_BYTES = 512 * 1024;
/** The square the console scales logos to before upload. */
export const LOGO_SIZE = 256;

export type LogoType = 'image/png' | 'image/jpeg' | 'image/webp';

export function sniffImageType(bytes: Uint8Array): LogoType | undefined {
  const at = (offset: number, sig: number[]) => sig.every((b, i) => bytes[offset + i] === b);
  if (at(0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (at(0, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (at(0, [0x52, 0x49, 0x46, 0x46]) && at(8, [0x57, 0x45, 0x42, 0x50])) return 'image/webp';
  return undefined;
}

export type LogoCheck = { ok: true; type: LogoType } | { ok: false; problem: 'type' | 'size' | 'empty' };

export function checkLogo(bytes: Uint8Array): LogoCheck {
  if (bytes.length === 0) return { ok: false, problem: 'empty' };
  const type = sniffImageType(bytes);
  if (!type) return { ok: false, problem: 'type' };
  if (bytes.length > LOGO_MAX_BYTES) return { ok: false, problem: 'size' };
  return { ok: true, type };
}

/** The centred square crop of a `width`×`height` image and the side it is scaled to. */
export function squareCrop(width: number, height: number, target = LOGO_SIZE) {
  const side = Math.min(width, height);
  return {
    sx: Math.floor((width - side) / 2),
    sy: Math.floor((height - side) / 2),
    side,
    size: Math.min(side, target),
  };
}

export function formatKiB(bytes: number): string {
  return `${bytes < 10 * 1024 ? (bytes / 1024).toFixed(1) : Math.round(bytes / 1024)} KiB`;
}
