import sharp from 'sharp';

/**
 * A 96×96 test logo drawn from raw pixels: `kind` picks the picture (different kinds are
 * different logos), so tests can make a logo, a re-encoded copy of it and an unrelated one.
 */
export async function drawLogo(
  kind: 'rings' | 'stripes' | 'diagonal' | 'checker',
  format: 'png' | 'jpeg' | 'webp' = 'png',
) {
  const size = 96;
  const pixels = Buffer.alloc(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const dx = x - size / 2;
      const dy = y - size / 2;
      let v: number;
      if (kind === 'rings') v = Math.floor(Math.sqrt(dx * dx + dy * dy) / 8) % 2 ? 230 : 30;
      else if (kind === 'stripes') v = Math.floor(x / 12) % 2 ? 220 : 40;
      else if (kind === 'diagonal') v = (x + 2 * y) % 64 < 32 ? 200 : 60;
      else v = (Math.floor(x / 24) + Math.floor(y / 24)) % 2 ? 250 : 10;
      const i = (y * size + x) * 3;
      pixels[i] = v;
      pixels[i + 1] = Math.min(255, v + 20);
      pixels[i + 2] = 255 - v;
    }
  }
  const image = sharp(pixels, { raw: { width: size, height: size, channels: 3 } });
  return format === 'png'
    ? image.png().toBuffer()
    : format === 'jpeg'
      ? image.jpeg({ quality: 90 }).toBuffer()
      : image.webp().toBuffer();
}

/** A copy of `logo` as a party copying a shop's logo would make it: resized, JPEG at quality 60. */
export async function reencode(logo: Buffer): Promise<Buffer> {
  return sharp(logo).resize(150, 150).jpeg({ quality: 60 }).toBuffer();
}
