// The lead form as a browser posts it, for the lead tests: every field, each overridable.
export const leadForm = (o: Record<string, string> = {}) => ({
  title: 'Website relaunch',
  contactName: 'Dana Deal',
  email: 'dana@deal.test',
  phone: '+44 20 7946',
  organisation: 'Deal Corp',
  source: 'REFERRAL',
  status: 'NEW',
  estimatedValue: '12500.50',
  notes: 'Warm intro',
  customerId: '',
  nextStep: '',
  expectedCloseDate: '',
  ...o,
});
