import { writeFileSync } from 'node:fs';
import bwipjs from 'bwip-js';
import { PNG } from 'pngjs';
import { defined } from '../../test-support/defined.js';

const WIDTH = 640;
const HEIGHT = 480;

/**
 * Renders a barcode with bwip-js (the renderer the wallet uses) and writes it as a Y4M video for
 * Chromium's fake camera (`--use-file-for-fake-video-capture`): a few identical 640×480 frames,
 * the code centred on white with a quiet zone, 4:2:0 (Chromium loops the file).
 */
export async function writeBarcodeVideo(
  path: string,
  barcode: { bcid: 'ean13' | 'qrcode' | 'code128'; text: string },
): Promise<void> {
  const png = PNG.sync.read(
    await bwipjs.toBuffer({
      bcid: barcode.bcid,
      text: barcode.text,
      scale: barcode.bcid === 'qrcode' ? 8 : 3,
      ...(barcode.bcid === 'qrcode' ? {} : { height: 22 }),
      paddingwidth: 10,
      paddingheight: 10,
      backgroundcolor: 'FFFFFF',
    }),
  );
  // Fit the code into 80 % of the frame (nearest-neighbour: bars stay sharp).
  const fit = Math.min((WIDTH * 0.8) / png.width, (HEIGHT * 0.8) / png.height, 1);
  const w = Math.floor(png.width * fit);
  const h = Math.floor(png.height * fit);
  const left = Math.floor((WIDTH - w) / 2);
  const top = Math.floor((HEIGHT - h) / 2);
  const luma = Buffer.alloc(WIDTH * HEIGHT, 235);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (Math.floor(y / fit) * png.width + Math.floor(x / fit)) * 4;
      const grey =
        0.299 * defined(png.data[i]) + 0.587 * defined(png.data[i + 1]) + 0.114 * defined(png.data[i + 2]);
      // Full-range grey → studio-range Y (16–235).
      luma[(top + y) * WIDTH + left + x] = Math.round(16 + (grey * 219) / 255);
    }
  }
  const chroma = Buffer.alloc((WIDTH / 2) * (HEIGHT / 2), 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma, chroma]);
  const header = Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F10:1 Ip A1:1 C420jpeg\n`);
  writeFileSync(path, Buffer.concat([header, frame, frame, frame]));
}
