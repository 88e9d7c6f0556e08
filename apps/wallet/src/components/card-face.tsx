import type { CSSProperties, ReactNode } from 'react';
import type { ProgramView } from '../api/types.js';
import { safeColor, safeImageUrl } from '../lib/safe-url.js';

/** What a card face shows of its program (a card's program, or a binding preview's). */
type FaceProgram = Pick<ProgramView, 'name' | 'logoUrl' | 'colors'>;

/** The card's colours as CSS custom properties (set through the CSSOM: allowed by the CSP). */
export function cardColors(program: Pick<ProgramView, 'colors'>): CSSProperties {
  return {
    '--card-bg': safeColor(program.colors?.background, '#334155'),
    '--card-fg': safeColor(program.colors?.foreground, '#ffffff'),
  } as CSSProperties;
}

/** The program's logo, or its initial on the card colour when there is none (or it fails to load). */
export function ProgramLogo({ program, size = 44 }: { program: FaceProgram; size?: number }) {
  const src = safeImageUrl(program.logoUrl);
  const style = { '--logo-size': `${size}px` } as CSSProperties;
  if (!src) {
    return (
      <span className="logo logo-fallback" style={{ ...style, ...cardColors(program) }} aria-hidden="true">
        {Array.from(program.name)[0] ?? '?'}
      </span>
    );
  }
  return <img className="logo" style={style} src={src} alt="" width={size} height={size} loading="lazy" />;
}

/** The front of a membership card in its program's colours: logo, name, and what the caller adds. */
export function CardFace({
  program,
  children,
  size = 'full',
  paused = false,
}: {
  program: FaceProgram;
  children?: ReactNode;
  size?: 'full' | 'header' | 'compact';
  /** A card of a suspended program (issue 14): drawn greyed out. */
  paused?: boolean;
}) {
  return (
    <div className={`card-face card-face-${size}${paused ? ' is-paused' : ''}`} style={cardColors(program)}>
      <div className="card-face-top">
        <ProgramLogo program={program} size={size === 'compact' ? 40 : 48} />
        <span className="card-face-name">{program.name}</span>
      </div>
      {children ? <div className="card-face-body">{children}</div> : null}
    </div>
  );
}
