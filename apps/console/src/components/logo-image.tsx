import { useEffect, useRef, useState } from 'react';

/**
 * A program logo: a freshly prepared bitmap (drawn on a canvas, so no blob: URL is needed), or the
 * stored logo from the platform's public logo URL. Decorative next to the program's name.
 */
export function LogoImage({
  bitmap,
  src,
  className,
  initial,
}: {
  bitmap?: ImageBitmap | undefined;
  src?: string | undefined;
  className?: string;
  /** Shown when there is no logo: the program name's first character (as text). */
  initial?: string | undefined;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [brokenSrc, setBrokenSrc] = useState<string>();
  useEffect(() => {
    const c = canvas.current;
    if (!bitmap || !c) return;
    c.width = bitmap.width;
    c.height = bitmap.height;
    c.getContext('2d')?.drawImage(bitmap, 0, 0);
  }, [bitmap]);
  if (bitmap) return <canvas ref={canvas} className={className} />;
  if (src && brokenSrc !== src) {
    return <img src={src} alt="" className={className} onError={() => setBrokenSrc(src)} />;
  }
  const letter = initial ? Array.from(initial.trim())[0]?.toUpperCase() : undefined;
  return (
    <span className={`${className ?? ''} logo-placeholder${letter ? ' logo-initial' : ''}`}>{letter}</span>
  );
}
