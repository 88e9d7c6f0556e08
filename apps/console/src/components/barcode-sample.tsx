import type { CodeType } from '@mycard/protocol';
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n/i18n-context.js';
import { CODE_TYPE_INFO } from '../lib/code-types.js';

type Bwip = typeof import('bwip-js/browser');
let bwipLoading: Promise<Bwip> | undefined;
/** bwip-js is large: it is loaded on first use, in its own chunk. */
function loadBwip(): Promise<Bwip> {
  bwipLoading ??= import('bwip-js/browser');
  return bwipLoading;
}

/**
 * A live sample of a code type, drawn by bwip-js on a canvas (no markup injection, CSP-safe). The
 * canvas is an image with a text alternative naming the symbology and the sample code.
 */
export function BarcodeSample({
  codeType,
  text,
  compact = false,
}: {
  codeType: CodeType;
  text?: string;
  compact?: boolean;
}) {
  const { t } = useI18n();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [failed, setFailed] = useState(false);
  const info = CODE_TYPE_INFO[codeType];
  const value = text ?? info.sample;

  useEffect(() => {
    let live = true;
    setFailed(false);
    loadBwip()
      .then((bwip) => {
        if (!live || !canvas.current) return;
        bwip.toCanvas(canvas.current, {
          bcid: info.bcid,
          text: value,
          scale: info.twoD ? 4 : 3,
          ...(info.twoD
            ? {}
            : { height: compact ? 10 : 14, includetext: true, textxalign: 'center' as const }),
          ...(codeType === 'PDF417' ? { height: 12, columns: 3 } : {}),
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
  }, [codeType, value, compact, info]);

  if (failed) return <p className="muted">{t('code.sampleFailed')}</p>;
  return (
    <canvas
      ref={canvas}
      className={`barcode ${info.twoD ? 'barcode-2d' : 'barcode-1d'}${compact ? ' barcode-compact' : ''}`}
      role="img"
      aria-label={`${info.label}: ${value}`}
    />
  );
}
