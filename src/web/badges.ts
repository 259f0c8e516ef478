// The colours of status badges, chosen here once (Bootstrap's text-bg-* pairs meet WCAG AA contrast): the
// statusBadge partial and the lists' rows, which write their badge in the loop body instead of an include per row.
const TONES: Record<string, Record<string, string>> = {
  lead: { NEW: 'secondary', CONTACTED: 'info', QUALIFIED: 'primary', WON: 'success', LOST: 'dark' },
  active: { true: 'success', false: 'secondary' },
  priority: { HIGH: 'warning', NORMAL: 'light', LOW: 'light' },
};

/** The text-bg-* tone of a badge: kind 'lead' | 'active' | 'priority' and its value; 'secondary' when unknown. */
export function badgeTone(kind: string, value: unknown): string {
  return TONES[kind]?.[String(value)] ?? 'secondary';
}
