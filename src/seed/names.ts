// Hand-written word lists for believable demo data (no generator download needed).
export const FIRST_NAMES = [
  'Olivia',
  'Liam',
  'Emma',
  'Noah',
  'Amelia',
  'Oliver',
  'Sophia',
  'Elijah',
  'Isabella',
  'Lucas',
  'Mia',
  'Mateo',
  'Charlotte',
  'Leon',
  'Harper',
  'Hugo',
  'Aria',
  'Finn',
  'Chloe',
  'Jonas',
  'Lea',
  'Elias',
  'Nora',
  'Paul',
  'Hannah',
  'Felix',
  'Clara',
  'Samuel',
  'Ingrid',
  'Mohammed',
  'Fatima',
  'Kenji',
  'Yuki',
  'Priya',
  'Arjun',
  'Sofia',
  'Diego',
  'Lucia',
  'Tomasz',
  'Agnieszka',
  'Freya',
  'Oscar',
  'Grace',
  'Theo',
  'Ella',
  'Jack',
  'Maya',
  'Leo',
  'Zoe',
  'Adam',
];

export const LAST_NAMES = [
  'Bennett',
  'Fischer',
  'Schmidt',
  'Okafor',
  'Nakamura',
  'Garcia',
  'Rossi',
  'Dubois',
  'Jansen',
  'Novak',
  'Kowalski',
  'Andersson',
  'Murphy',
  "O'Brien",
  'Walsh',
  'Patel',
  'Singh',
  'Khan',
  'Haddad',
  'Cohen',
  'Silva',
  'Santos',
  'Moreau',
  'Laurent',
  'Weber',
  'Wagner',
  'Becker',
  'Hoffmann',
  'Keller',
  'Brennan',
  'Lindqvist',
  'Nielsen',
  'Horvat',
  'Popescu',
  'Varga',
  'Papadopoulos',
  'Yilmaz',
  'Tanaka',
  'Kim',
  'Nguyen',
  'Clarke',
  'Hughes',
  'Foster',
  'Reid',
  'Marsh',
  'Doyle',
  'Ward',
  'Lowe',
  'Barker',
  'Holt',
];

const ORG_FIRST = [
  'Northwind',
  'Bluebird',
  'Harbour',
  'Summit',
  'Riverside',
  'Granite',
  'Silverline',
  'Evergreen',
  'Brightwater',
  'Oakfield',
  'Lakeshore',
  'Redstone',
  'Meridian',
  'Westgate',
  'Fairview',
  'Ironbridge',
  'Copperleaf',
  'Starling',
  'Highland',
  'Seaview',
];
const ORG_SECOND = [
  'Logistics',
  'Bakery',
  'Dental Clinic',
  'Architects',
  'Print Works',
  'Software',
  'Hotels',
  'Garden Centre',
  'Engineering',
  'Foods',
  'Consulting',
  'Pharmacy',
  'Motors',
  'Studios',
  'Outfitters',
  'Brewery',
  'Health',
  'Interiors',
  'Legal',
  'Travel',
];
const ORG_SUFFIX = ['Ltd', 'GmbH', 'AG', 'LLC', 'S.A.', 'B.V.', 'Inc.', '& Co.', 'plc', 'Oy'];

export const STREETS = [
  'High Street',
  'Station Road',
  'Mill Lane',
  'Church Street',
  'Park Avenue',
  'Harbour Road',
  'Kingsway',
  'Market Square',
  'Linden Allee',
  'Rue de la Paix',
  'Bridge Street',
  'Queen Street',
  'Elm Grove',
  'Canal Walk',
  'Victoria Road',
];
export const CITIES = [
  'London',
  'Manchester',
  'Dublin',
  'Berlin',
  'Hamburg',
  'Munich',
  'Vienna',
  'Zurich',
  'Amsterdam',
  'Rotterdam',
  'Brussels',
  'Lyon',
  'Paris',
  'Copenhagen',
  'Stockholm',
  'Oslo',
  'Warsaw',
  'Prague',
  'Lisbon',
  'Madrid',
];

export const LEAD_TOPICS = [
  'Annual maintenance contract',
  'Website relaunch',
  'Fleet tracking pilot',
  'Office fit-out',
  'Renewal of support plan',
  'Cloud migration',
  'Staff training programme',
  'Point-of-sale upgrade',
  'Catering for conference',
  'Security audit',
  'New branch equipment',
  'Marketing retainer',
  'Data backup service',
  'Payroll outsourcing',
  'Warehouse shelving',
  'Solar panels for warehouse',
  'Video conferencing rooms',
  'Customer portal',
  'Printer lease',
  'Quarterly deep clean',
];

export const TASK_TOPICS = [
  'Call back about the quote',
  'Send revised proposal',
  'Prepare contract draft',
  'Follow up on invoice',
  'Book site visit',
  'Check references',
  'Update pricing sheet',
  'Chase signed order form',
  'Email product brochure',
  'Schedule onboarding',
  'Review requirements',
  'Confirm delivery date',
  'Collect feedback',
  'Prepare demo account',
  'Introduce the support team',
];

export const APPOINTMENT_TOPICS = [
  'Discovery call',
  'Product demo',
  'Contract review',
  'Quarterly business review',
  'Site visit',
  'Kick-off meeting',
  'Pricing negotiation',
  'Onboarding session',
  'Technical workshop',
  'Lunch meeting',
];

export const LOCATIONS = [
  'Customer office',
  'Video call',
  'Our office, room 2',
  'Phone',
  'Café Central',
  'Trade fair booth',
];

export const NOTES = [
  '',
  '',
  '',
  'Prefers email over phone.',
  'Decision expected next quarter.',
  'Met at the spring trade fair.',
  'Budget approved by finance.',
  'Wants a discount for a three-year term.',
  'Asked for references in their sector.',
];

/** The i-th of 4,000 distinct organisation names, spread so neighbouring i differ in every word. */
export function organisationName(i: number): string {
  return `${organisationBase(i)} ${ORG_SUFFIX[Math.floor(spread(i) / 400) % ORG_SUFFIX.length]}`;
}

/** The name without its legal form ("Northwind Logistics"). */
export function organisationBase(i: number): string {
  const j = spread(i);
  return `${ORG_FIRST[j % ORG_FIRST.length]} ${ORG_SECOND[Math.floor(j / ORG_FIRST.length) % ORG_SECOND.length]}`;
}

const spread = (i: number) => (i * 131) % 4000;

/** "olivia.o'brien" → "olivia.obrien" */
export function emailLocalPart(first: string, last: string): string {
  return `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '');
}

/** A lead's next step (Lead.nextStep): one line. */
export const NEXT_STEPS = [
  'Send the revised quote',
  'Call back after their budget meeting',
  'Book a demo with the team',
  'Email the case study',
  'Confirm the decision maker',
  'Send the contract for signature',
  'Agree a start date',
  'Follow up on the pilot feedback',
  'Prepare the pricing options',
  'Introduce our technical lead',
];

/** Summaries of logged activities by kind; calls by outcome. */
export const CALL_SUMMARIES = {
  REACHED: [
    'Talked through their requirements',
    'Discussed the quote line by line',
    'Agreed the next steps',
    'Answered questions about delivery',
    'Went over the pilot results',
  ],
  LEFT_MESSAGE: ['Left a voicemail about the quote', 'Left a message with reception', 'Left a message to call back'],
  NO_ANSWER: ['No answer, will try again', 'Called, nobody picked up'],
  WRONG_NUMBER: ['Number on file is wrong, asked for a new one'],
} as const;
export const EMAIL_SUMMARIES = [
  'Sent the product brochure',
  'Sent the revised quote',
  'Emailed the meeting notes',
  'Sent the contract draft',
  'Replied to their questions on pricing',
  'Sent a thank-you after the meeting',
];
export const MEETING_SUMMARIES = [
  'Intro meeting with the buyer',
  'Demo for the team',
  'On-site visit',
  'Pricing review with finance',
  'Kick-off meeting',
  'Quarterly check-in',
];
export const NOTE_SUMMARIES = [
  'Budget approved for next quarter',
  'Competitor also quoting',
  'Decision expected after the board meeting',
  'Prefers email to phone',
  'Asked for a discount on volume',
  'New contact took over purchasing',
];
export const ACTIVITY_DETAILS = [
  '',
  '',
  'They want an answer by the end of the month.',
  'Copied their finance manager.',
  'Needs sign-off from the operations director.',
  'Mentioned they are also talking to two other suppliers.',
  'Happy with the terms so far; delivery timing is the open question.',
];

/** The note a lost deal carries when its reason is "Other". */
export const LOST_NOTES = [
  'Project postponed to next year',
  'They decided to build it in-house',
  'Company was acquired; purchasing frozen',
  'Champion left the company',
  'Merged into their group-wide contract',
  'Legal could not accept our terms',
];
