import { useEffect, useRef, useState } from 'react';
import type { CodeType } from '../api/types.js';
import { barcodeOptions, isTwoDimensional } from '../codes/barcode-options.js';

// bwip-js is most of the app's weight: load it only when a code is first drawn.
let bwip: Promise<typeof import('bwip-js/browser')> | undefined;
function loadBwip() {
  bwip ??= import('bwip-js/browser');
  return bwip;
}

interface Props {
  codeType: CodeType;
  text: string;
  /** The accessible name, e.g. "Membership code 4901…". */
  label: string;
  /** Widest the symbol may be drawn, in CSS pixels. */
  maxWidth?: number;
}

/**
 * Draws `text` in `codeType` with bwip-js onto a canvas. Each module gets a whole number of device
 * pixels (drawn once at scale 1 to learn the symbol's size, then at the largest scale that fits), so
 * bars stay crisp and scanners — and the e2e suite's decoder — read it reliably.
 */
export function Barcode({ codeType, text, label, maxWidth }: Props) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let live = true;
    loadBwip().then(
      (module) => {
        const canvas = canvasRef.current;
        if (!live || !canvas) return;
        const bwipjs = (module as { default?: typeof module }).default ?? module;
        const dpr = Math.max(1, Math.min(3, window.devicePixelRatio || 1));
        const available = Math.min(maxWidth ?? 320, canvas.parentElement?.clientWidth || 320);
        const target =
          isTwoDimensional(codeType) && codeType !== 'PDF417' ? Math.min(available, 240) : available;
        try {
          bwipjs.toCanvas(canvas, barcodeOptions(codeType, text, 1));
          const scale = Math.max(1, Math.floor((target * dpr) / canvas.width));
          bwipjs.toCanvas(canvas, barcodeOptions(codeType, text, scale));
          canvas.style.width = `${canvas.width / dpr}px`;
          canvas.style.height = `${canvas.height / dpr}px`;
          canvas.dataset.ready = 'true';
          setFailed(false);
        } catch {
          setFailed(true);
        }
      },
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [codeType, text, maxWidth]);

  return (
    <div className="barcode">
      <canvas ref={canvasRef} role="img" aria-label={label} hidden={failed} />
      {failed ? <p className="barcode-failed">{text}</p> : null}
    </div>
  );
}
