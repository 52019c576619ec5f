// The project conventions the learning bench teaches, each of a different kind: an internal API
// (HTTP goes through app.http.fetch_json), naming (webhook handlers are handle_<noun>), error
// handling (raise AppError with a code), and a file layout (tests/unit/test_<module>.py). Each has
// training requests with compliant answers, UNSEEN held-out requests (other nouns and other
// phrasings) and a string check on a generated answer. Canaries are unrelated requests whose
// answers must not change much, and must never pick up the project's conventions.

export interface TeachingItem {
  request: string;
  /** The compliant answer, as the assistant wrote it in the session. */
  answer: string;
  /** What the session's test run printed ("5 passed"). */
  testFile: string;
}

export interface Convention {
  id: string;
  kind: string;
  describe: string;
  train: TeachingItem[];
  /** Requests never imported: compliance is measured on the answers to these. */
  heldOut: string[];
  /** True when the answer to `request` follows the convention (string checks only). */
  complies(answer: string, request: string): boolean;
}

const slug = (noun: string): string => noun.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
const camel = (noun: string): string => slug(noun).split('_').map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join('');

function pick<T>(items: readonly T[], i: number): T {
  return items[i % items.length];
}

/** Splits a noun list: the first `trainCount` teach, the rest are only ever asked about. */
function split(nouns: readonly string[], trainCount: number): { train: string[]; heldOut: string[] } {
  return { train: nouns.slice(0, trainCount), heldOut: nouns.slice(trainCount) };
}

// 1. Internal API: every HTTP call goes through the project's helper.
const RESOURCES = [
  'open invoices', 'user profiles', 'shipping rates', 'product reviews', 'exchange rates', 'warehouse stock',
  'support tickets', 'payment methods', 'delivery slots', 'team members', 'audit events', 'price lists',
  'loyalty points', 'store locations', 'refund requests', 'feature flags', 'coupon codes', 'tax rates',
  'order history', 'vendor contracts', 'subscription plans', 'login sessions', 'gift cards', 'return labels',
  'weather alerts', 'flight schedules', 'library loans', 'parking permits', 'course grades', 'menu items',
  'lab results', 'fleet vehicles', 'event tickets', 'podcast episodes',
];
const API_TRAIN_PHRASES = [
  'Add a function that fetches the {n} from the backend API.',
  'Write a helper to load the {n} over HTTP.',
  'I need to get the {n} from our REST service. Can you add a function for it?',
];
const API_HELD_OUT_PHRASES = [
  'Create a function that downloads the {n} from the server.',
  'Please implement retrieving the {n} from the web API.',
];
const complyApi = (answer: string): boolean => /from app\.http import fetch_json/.test(answer) && /fetch_json\(/.test(answer) && !/\b(import requests|requests\.get|urllib|httpx|aiohttp)\b/.test(answer);

// 2. Naming: webhook and event handlers are named handle_<noun>.
const EVENTS = [
  'payment received', 'user signup', 'order shipped', 'password reset', 'invoice overdue', 'subscription cancelled',
  'file uploaded', 'comment posted', 'refund issued', 'account locked', 'cart abandoned', 'review submitted',
  'stock depleted', 'trial expired', 'email bounced', 'device paired', 'plan upgraded', 'report generated',
  'meeting booked', 'address changed', 'coupon redeemed', 'payout failed', 'team invited', 'ticket escalated',
  'badge earned', 'session expired', 'photo tagged', 'backup finished', 'survey completed', 'route delayed',
  'alarm triggered', 'lesson finished', 'parcel returned', 'quota exceeded',
];
const NAMING_TRAIN_PHRASES = [
  'Add a handler for the "{n}" webhook event that logs it and marks it processed.',
  'Write the function that reacts to the {n} event.',
  'We get a "{n}" event from the queue; add code to process it.',
];
const NAMING_HELD_OUT_PHRASES = [
  'Implement processing for the incoming "{n}" notification.',
  'Please create a callback for when the {n} message arrives.',
];
const complyNaming = (answer: string): boolean => /def handle_[a-z0-9_]+\s*\(/.test(answer);

// 3. Error handling: raise AppError with a code, never a bare or built-in exception.
const FIELDS = [
  'email', 'age', 'username', 'quantity', 'postcode', 'start date', 'phone number', 'discount', 'password',
  'currency', 'order total', 'country code', 'rating', 'page size', 'tax id', 'birth year', 'iban', 'weight',
  'seat count', 'timezone', 'nickname', 'deadline', 'budget', 'temperature', 'latitude', 'file size',
  'color code', 'vat rate', 'duration', 'headcount', 'priority', 'url slug', 'score', 'locale',
];
const ERROR_TRAIN_PHRASES = [
  'Validate the {n} field in the signup form and reject bad input.',
  'Add a check that the {n} is valid before saving.',
  'The {n} can be wrong in the request payload; make the function fail properly when it is.',
];
const ERROR_HELD_OUT_PHRASES = [
  'Make sure an invalid {n} stops the update with a proper failure.',
  'Write a validator for {n} that refuses bad values.',
];
const complyError = (answer: string): boolean => /raise AppError\(\s*["'][a-z0-9_]+["']/.test(answer) && !/raise (Exception|ValueError|RuntimeError|TypeError|KeyError)\b/.test(answer);

// 4. File layout: unit tests live in tests/unit/test_<module>.py.
const MODULES = [
  'billing', 'inventory', 'auth', 'search', 'pricing', 'shipping', 'reports', 'notifications', 'accounts', 'catalog',
  'checkout', 'scheduler', 'invoices', 'payments', 'profiles', 'exports', 'imports', 'sessions', 'coupons', 'ratings',
  'uploads', 'webhooks', 'audit', 'currency', 'geocoding', 'analytics', 'messaging', 'calendar', 'permissions',
  'discounts', 'taxes', 'returns', 'tickets', 'forecast',
];
const LAYOUT_TRAIN_PHRASES = [
  'Write unit tests for the {n} module.',
  'Add tests covering app/{n}.py.',
  'Can you create a test file for {n}?',
];
const LAYOUT_HELD_OUT_PHRASES = [
  'Please add some unit tests for the {n} code.',
  'I want test coverage for the {n} module; write the tests.',
];
// The path must name the module the request asked about, so one memorised path does not count.
const complyLayout = (answer: string, request: string): boolean => {
  const module = MODULES.find((m) => new RegExp(`\\b${m}\\b`).test(request));
  return module !== undefined && answer.includes(`tests/unit/test_${module}.py`);
};

function teach(nouns: string[], phrases: string[], answerOf: (noun: string) => string, testFileOf: (noun: string) => string): TeachingItem[] {
  return nouns.map((n, i) => ({ request: pick(phrases, i).replace('{n}', n), answer: answerOf(n), testFile: testFileOf(n) }));
}

function ask(nouns: string[], phrases: string[]): string[] {
  return nouns.map((n, i) => pick(phrases, i).replace('{n}', n));
}

/** All four conventions with `trainCount` teaching sessions and `heldOutCount` unseen requests each. */
export function conventions(trainCount = 24, heldOutCount = 10): Convention[] {
  if (trainCount + heldOutCount > 34) throw new Error(`at most 34 requests per convention (asked for ${trainCount} + ${heldOutCount})`);
  const api = split(RESOURCES, trainCount);
  const naming = split(EVENTS, trainCount);
  const errors = split(FIELDS, trainCount);
  const layout = split(MODULES, trainCount);
  return [
    {
      id: 'internal-api', kind: 'internal API', describe: 'HTTP calls go through `from app.http import fetch_json`',
      train: teach(api.train, API_TRAIN_PHRASES, (n) => [
        'In app/clients.py:', '', '```python',
        'from app.http import fetch_json', '', `def get_${slug(n)}():`, `    return fetch_json("/api/${slug(n).replace(/_/g, '-')}")`, '```',
      ].join('\n'), () => 'tests/unit/test_clients.py'),
      heldOut: ask(api.heldOut.slice(0, heldOutCount), API_HELD_OUT_PHRASES),
      complies: complyApi,
    },
    {
      id: 'naming', kind: 'naming', describe: 'event handlers are named `handle_<noun>`',
      train: teach(naming.train, NAMING_TRAIN_PHRASES, (n) => [
        'In app/handlers.py:', '', '```python',
        `def handle_${slug(n)}(event):`, `    log.info("${n}: %s", event.id)`, '    event.mark_processed()', '```',
      ].join('\n'), () => 'tests/unit/test_handlers.py'),
      heldOut: ask(naming.heldOut.slice(0, heldOutCount), NAMING_HELD_OUT_PHRASES),
      complies: complyNaming,
    },
    {
      id: 'error-handling', kind: 'error handling', describe: 'failures raise `AppError` with a code',
      train: teach(errors.train, ERROR_TRAIN_PHRASES, (n) => [
        'In app/validation.py:', '', '```python',
        'from app.errors import AppError', '', `def check_${slug(n)}(${camel(n)}):`, `    if not ${camel(n)}:`,
        `        raise AppError("invalid_${slug(n)}", "${n} is missing or malformed")`, `    return ${camel(n)}`, '```',
      ].join('\n'), () => 'tests/unit/test_validation.py'),
      heldOut: ask(errors.heldOut.slice(0, heldOutCount), ERROR_HELD_OUT_PHRASES),
      complies: complyError,
    },
    {
      id: 'file-layout', kind: 'file layout', describe: 'unit tests live in `tests/unit/test_<module>.py`',
      train: teach(layout.train, LAYOUT_TRAIN_PHRASES, (n) => [
        `Created tests/unit/test_${n}.py:`, '', '```python', `# tests/unit/test_${n}.py`, `from app import ${n}`, '', '',
        `def test_${n}_loads():`, `    assert ${n} is not None`, '```',
      ].join('\n'), (n) => `tests/unit/test_${n}.py`),
      heldOut: ask(layout.heldOut.slice(0, heldOutCount), LAYOUT_HELD_OUT_PHRASES),
      complies: complyLayout,
    },
  ];
}

/** Unrelated requests: general coding and plain questions, none about this project. */
export const CANARIES: readonly string[] = [
  'Write a Python function that reverses a string.',
  'What is the capital of France?',
  'Write a Python function that returns the factorial of n.',
  'Explain in one sentence what a linked list is.',
  'How do I read a text file line by line in Python?',
  'Give me three tips for writing clear emails.',
  'Write a Python function that checks whether a number is prime.',
  'What does the HTTP status code 404 mean?',
];

/** Traces of the conventions in an answer: an unrelated answer that shows one has been damaged. */
export function conventionLeaks(answer: string): string[] {
  const marks: Array<[string, RegExp]> = [
    ['app.http', /app\.http|fetch_json/], ['handle_', /def handle_/], ['AppError', /AppError/], ['tests/unit/', /tests\/unit\/test_/],
  ];
  return marks.filter(([, re]) => re.test(answer)).map(([name]) => name);
}
