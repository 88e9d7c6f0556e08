import type { AnchorHTMLAttributes, MouseEvent, ReactNode } from 'react';
import { hrefFor, type Route } from '../lib/router.js';
import { navigate } from '../lib/use-route.js';

type Props = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { to: Route; children: ReactNode };

/** An in-app link: a real `<a href>` (opens in a new tab, readable by screen readers) that navigates without a reload. */
export function Link({ to, children, onClick, ...rest }: Props) {
  const href = hrefFor(to);
  function handle(event: MouseEvent<HTMLAnchorElement>) {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey)
      return;
    event.preventDefault();
    navigate(to);
  }
  return (
    <a href={href} onClick={handle} {...rest}>
      {children}
    </a>
  );
}
