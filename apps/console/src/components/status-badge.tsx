import type { ProgramStatus } from '../api/types.js';
import { useI18n } from '../i18n/i18n-context.js';

export function StatusBadge({ status }: { status: ProgramStatus }) {
  const { t } = useI18n();
  return <span className={`badge badge-${status.toLowerCase()}`}>{t(`status.${status}`)}</span>;
}
