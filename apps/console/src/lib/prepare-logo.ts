import { checkLogo, LOGO_MAX_BYTES, type LogoCheck, squareCrop } from './logo-file.js';

/**
 * Reads a chosen logo, checks it like the platform does, and scales a centred square crop to at
 * most 256×256 on a canvas (PNG). Decoding goes through `createImageBitmap`, so no `blob:` URL is
 * needed and the CSP can stay strict. When the browser cannot decode or encode, the original file
 * (already checked) is uploaded as is.
 */
export interface PreparedLogo {
  blob: Blob;
  bitmap: ImageBitmap | undefined;
  originalBytes: number;
  width: number;
  height: number;
  cropped: boolean;
}

export type PrepareResult = { ok: true; logo: PreparedLogo } | Extract<LogoCheck, { ok: false }>;

export async function prepareLogo(file: Blob): Promise<PrepareResult> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const check = checkLogo(bytes);
  if (!check.ok) return check;
  const original = new Blob([bytes], { type: check.type });
  let source: ImageBitmap;
  try {
    source = await createImageBitmap(original);
  } catch {
    return { ok: false, problem: 'type' };
  }
  const { sx, sy, side, size } = squareCrop(source.width, source.height);
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const g = canvas.getContext('2d');
  if (!g)
    return {
      ok: true,
      logo: { blob: original, bitmap: source, originalBytes: bytes.length, ...dims(source), cropped: false },
    };
  g.imageSmoothingQuality = 'high';
  g.drawImage(source, sx, sy, side, side, 0, 0, size, size);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  const bitmap = await createImageBitmap(canvas);
  source.close();
  if (!blob || blob.size > LOGO_MAX_BYTES) {
    return {
      ok: true,
      logo: {
        blob: original,
        bitmap,
        originalBytes: bytes.length,
        width: size,
        height: size,
        cropped: false,
      },
    };
  }
  return {
    ok: true,
    logo: { blob, bitmap, originalBytes: bytes.length, width: size, height: size, cropped: true },
  };
}

function dims(b: ImageBitmap) {
  return { width: b.width, height: b.height };
}
