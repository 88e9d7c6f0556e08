import type { ReactNode } from 'react';
import type { MessageKey } from '../i18n/en.js';
import { AdminProgramsScreen } from './admin-programs-screen.js';
import { FiguresScreen } from './figures-screen.js';
import { ReportsScreen } from './reports-screen.js';
import { ReviewQueueScreen } from './review-queue-screen.js';
import { ReviewScreen } from './review-screen.js';

/**
 * The sections of the admin area, in the order of its tab bar (`#/admin/{id}[/{item}]`). To add a
 * section, append an entry here: its id (the route segment), the catalogue key of its tab label,
 * and what it renders for `#/admin/{id}` (`item` undefined) and `#/admin/{id}/{item}`. The area
 * (admin-area.tsx) draws the title, the tabs and the platform-admin check around it.
 */
export interface AdminSection {
  id: string;
  label: MessageKey;
  render(item: string | undefined): ReactNode;
}

export const ADMIN_SECTIONS: readonly AdminSection[] = [
  {
    id: 'reviews',
    label: 'admin.section.reviews',
    render: (item) =>
      item === undefined ? <ReviewQueueScreen /> : <ReviewScreen key={item} reviewId={item} />,
  },
  {
    id: 'programs',
    label: 'admin.section.programs',
    render: (item) => <AdminProgramsScreen key={item ?? ''} focus={item} />,
  },
  { id: 'reports', label: 'admin.section.reports', render: () => <ReportsScreen /> },
  { id: 'figures', label: 'admin.section.figures', render: () => <FiguresScreen /> },
];
