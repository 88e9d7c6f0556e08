import type { CodeType } from '@mycard/protocol';
import { useI18n } from '../i18n/i18n-context.js';
import { BarcodeSample } from './barcode-sample.js';
import { LogoImage } from './logo-image.js';

/**
 * The card as the wallet will show it: the program's colours, logo and name (as text), and a sample
 * membership code in the chosen code type on a white panel (scanners need dark on light).
 */
export function CardFace(props: {
  name: string;
  background: string;
  foreground: string;
  codeType: CodeType;
  logoBitmap?: ImageBitmap | undefined;
  logoSrc?: string | undefined;
}) {
  const { t } = useI18n();
  const valid = (c: string) => /^#[0-9a-fA-F]{6}$/.test(c);
  return (
    <figure className="card-face-wrap">
      <div
        className="card-face"
        style={{
          background: valid(props.background) ? props.background : '#0f766e',
          color: valid(props.foreground) ? props.foreground : '#ffffff',
        }}
      >
        <div className="card-face-head">
          <LogoImage
            bitmap={props.logoBitmap}
            src={props.logoSrc}
            className="card-logo"
            initial={props.name}
          />
          <span className="card-name">{props.name || t('preview.nameless')}</span>
        </div>
        <div className="card-face-member">{t('preview.member')}</div>
        <div className="card-code-panel">
          <BarcodeSample codeType={props.codeType} compact />
        </div>
      </div>
      <figcaption className="sr-only">{t('preview.card')}</figcaption>
    </figure>
  );
}
