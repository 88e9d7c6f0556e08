import { useEffect, useRef, useState } from 'react';

type Bwip = typeof import('bwip-js/browser');
let bwipLoading: Promise<Bwip> | undefined;
/** bwip-js is large: loaded on first use, in its own chunk (as for the barcode samples). */
function loadBwip(): Promise<Bwip> {
  bwipLoading ??= import('bwip-js/browser');
  return bwipLoading;
}

/** A QR code of `text`, drawn by bwip-js on a canvas (CSP-safe, no markup), with a text alternative. */
export function QrCode({ text, label }: { text: string; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    setFailed(false);
    loadBwip()
      .then((bwip) => {
        if (!live || !canvas.current) return;
        bwip.toCanvas(canvas.current, {
          bcid: 'qrcode',
          text,
          scale: 4,
          paddingwidth: 4,
          paddingheight: 4,
          backgroundcolor: 'ffffff',
          barcolor: '000000',
        });
      })
      .catch(() => {
        if (live) setFailed(true);
      });
    return () => {
      live = false;
    };
  }, [text]);
  if (failed) return <p className="mono">{text}</p>;
  return <canvas ref={canvas} className="qr-code" role="img" aria-label={label} data-testid="bundle-qr" />;
}
