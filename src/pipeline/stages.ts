// The pipeline's stages, their win probabilities (per company) and the reasons a deal is lost.
// Shared by the lead pages, the board, the dashboards and the reports.
import type { LeadStatus, LostReason } from '../generated/prisma/client.ts';

export const OPEN_STAGES = ['NEW', 'CONTACTED', 'QUALIFIED'] as const satisfies readonly LeadStatus[];
export const CLOSED_STAGES = ['WON', 'LOST'] as const satisfies readonly LeadStatus[];
export type OpenStage = (typeof OPEN_STAGES)[number];

/** The furthest stage a lead reached ("Lead"."furthestStage", kept by the database): the funnel's steps. */
export const FUNNEL_STEPS = [
  { stage: 0, label: 'Created' },
  { stage: 1, label: 'Contacted' },
  { stage: 2, label: 'Qualified' },
  { stage: 3, label: 'Won' },
] as const;

export const LOST_REASONS = ['PRICE', 'COMPETITOR', 'NO_BUDGET', 'NO_RESPONSE', 'NOT_A_FIT', 'OTHER'] as const;
export const LOST_REASON_LABELS: Record<LostReason, string> = {
  PRICE: 'Price',
  COMPETITOR: 'Went with a competitor',
  NO_BUDGET: 'No budget',
  NO_RESPONSE: 'No response',
  NOT_A_FIT: 'Not a fit',
  OTHER: 'Other',
};

/** The default win probabilities (per cent), as the migration pipeline_money sets them. */
export const DEFAULT_PROBABILITIES: Record<LeadStatus, number> = {
  NEW: 10,
  CONTACTED: 20,
  QUALIFIED: 50,
  WON: 100,
  LOST: 0,
};

export type CompanyProbabilities = {
  probabilityNew: number;
  probabilityContacted: number;
  probabilityQualified: number;
};

/** A company's probability per status (Won 100 %, Lost 0 %, the open stages as its account manager set them). */
export function probabilitiesOf(company: CompanyProbabilities): Record<LeadStatus, number> {
  return {
    NEW: company.probabilityNew,
    CONTACTED: company.probabilityContacted,
    QUALIFIED: company.probabilityQualified,
    WON: 100,
    LOST: 0,
  };
}

/**
 * A stage's weighted value: its total × its probability, in exact cents (the total is a decimal string from
 * SQL; floating point would drift on large sums). Returns a decimal string with two places.
 */
export function weightedValue(total: string | number | { toString(): string }, probability: number): string {
  const [units, fraction = ''] = String(total).split('.');
  const negative = units.startsWith('-');
  const cents = BigInt(units.replace('-', '') + fraction.padEnd(2, '0').slice(0, 2)) * (negative ? -1n : 1n);
  // Round half away from zero: cents × p / 100.
  const scaled = cents * BigInt(probability);
  const q = scaled / 100n;
  const r = scaled % 100n;
  const rounded = q + (r * 2n >= 100n ? 1n : r * 2n <= -100n ? -1n : 0n);
  const sign = rounded < 0n ? '-' : '';
  const abs = rounded < 0n ? -rounded : rounded;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}
