// The registry's seam for record types whose fields are declared by descriptors (src/fields):
// their audit fields come in as { label, show, reference? } and keep the registry's shape.
import { describe, expect, it } from 'vitest';
import { AUDIT_RECORD_TYPES, auditField, fromFieldDescriptors, humanize } from '../../src/audit/fields.ts';
import { AUDIT_ACTIONS } from '../../src/audit/actions.ts';

describe('the audit field registry', () => {
  it('takes descriptor fields: references stay look-ups, the rest are shown as the descriptor says', () => {
    const fields = fromFieldDescriptors({
      nextStep: { label: 'Next step', show: (v) => `[${String(v)}]` },
      assigneeId: { label: 'Assigned to', show: String, reference: 'User' },
    });
    expect(fields.assigneeId).toEqual({ label: 'Assigned to', kind: 'reference', to: 'User' });
    expect(fields.nextStep.kind).toBe('formatted');
    expect(fields.nextStep.kind === 'formatted' && fields.nextStep.show('call')).toBe('[call]');
  });

  it('labels every record type and action, and words an unknown key', () => {
    for (const type of Object.values(AUDIT_RECORD_TYPES)) {
      expect(type.label).toMatch(/^[A-Z]/);
      for (const f of Object.values(type.fields())) expect(f.label).toMatch(/^[A-Z]/);
    }
    expect(Object.values(AUDIT_ACTIONS).every((label) => /^[A-Z]/.test(label))).toBe(true);
    expect(auditField('Lead', 'assigneeId').label).toBe('Assigned to');
    expect(humanize('expectedCloseDate')).toBe('Expected close date');
    expect(auditField('Lead', 'someOldThingId').label).toBe('Some old thing');
  });
});
