/**
 * A perceptual hash of a logo: the 64-bit difference hash (dHash) of its pixels. sharp (libvips)
 * decodes the image — PNG, JPEG and WebP, the three logo types of PROTOCOL.md §7 — flattens it on
 * white (a transparent logo and its JPEG copy look the same), turns it grey and brings large ones
 * down to at most 256 px; the grey pixels are then averaged over a 9×8 grid of equal areas here
 * (exact box averaging: a copy at another size lands on the same cells, unlike a 9×8 resample, whose
 * filter taps shift with the source size), and each bit says whether a cell is brighter than its
 * right neighbour. Re-encoding, resizing or recompressing keeps most bits; a different picture
 * changes about half. 16 hex characters, or undefined when the bytes do not decode.
 * sharp is loaded on the first logo (libvips is ~25 MB of resident memory a platform that never
 * sees a logo upload does not need).
 */
export async function logoDhash(bytes: Uint8Array): Promise<string | undefined> {
  const { default: sharp } = await import('sharp');
  let raw: { data: Buffer; info: { width: number; height: number; channels: number } };
  try {
    raw = await sharp(bytes, { limitInputPixels: 16_000_000, failOn: 'error' })
      .flatten({ background: '#ffffff' })
      .greyscale()
      .resize(256, 256, { fit: 'inside', withoutEnlargement: true })
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch {
    return undefined;
  }
  const { data, info } = raw;
  const { width, height, channels } = info;
  if (width < 1 || height < 1) return undefined;
  const sum = new Float64Array(72);
  const count = new Float64Array(72);
  for (let y = 0; y < height; y++) {
    const row = Math.floor((y * 8) / height);
    for (let x = 0; x < width; x++) {
      const cell = row * 9 + Math.floor((x * 9) / width);
      sum[cell] = (sum[cell] ?? 0) + (data[(y * width + x) * channels] ?? 0);
      count[cell] = (count[cell] ?? 0) + 1;
    }
  }
  const mean = (i: number) => {
    const n = count[i] ?? 0;
    return n > 0 ? (sum[i] ?? 0) / n : 0;
  };
  let hex = '';
  for (let row = 0; row < 8; row++) {
    let byte = 0;
    for (let col = 0; col < 8; col++)
      byte = (byte << 1) | (mean(row * 9 + col) > mean(row * 9 + col + 1) ? 1 : 0);
    hex += byte.toString(16).padStart(2, '0');
  }
  return hex;
}

/** Bits that differ between two 16-hex-character hashes (0–64). */
export function hammingDistance(a: string, b: string): number {
  let x = BigInt(`0x${a}`) ^ BigInt(`0x${b}`);
  let n = 0;
  while (x > 0n) {
    n += Number(x & 1n);
    x >>= 1n;
  }
  return n;
}

/**
 * Logos at most this many bits apart are shown as look-alikes. Re-encoded or resized copies land
 * at 0–8; unrelated logos at ~24–40 (test/admin/look-alikes.test.ts measures both).
 */
export const LOGO_DISTANCE_THRESHOLD = 10;
