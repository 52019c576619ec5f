// Sessions with corrections of several kinds, written as Aider chat histories (with the input
// history that gives each request its time) so they are imported through the real importer. Each
// kind names the lesson it should teach, held-out requests of the same kind (recall must find the
// lesson), and a compliance check for answers to them (the advantage measurement scores with it).
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Turn { request: string; answer: string }
export interface CorrectionKind {
  name: string;
  /** Words the distilled lesson must contain (case-insensitive) to count as found. */
  expectWords: string[];
  sessions: Turn[][];
  heldOut: string[];
  /** Whether an answer to a held-out request follows the lesson. */
  complies(answer: string): boolean;
}

const fence = (lang: string, code: string): string => `\`\`\`${lang}\n${code}\n\`\`\``;

export const KINDS: CorrectionKind[] = [
  {
    name: 'dates',
    expectWords: ['parse_iso', 'strptime'],
    sessions: [[
      { request: 'Write a function that parses the created date string from the API response', answer: `Here it is.\n\n${fence('python', 'from datetime import datetime\n\ndef created_at(payload):\n    return datetime.strptime(payload["created"], "%Y-%m-%d")')}\n\nThis is correct and robust.` },
      { request: 'No, use the shared `parse_iso` helper instead of `strptime`, dates here are ISO 8601.', answer: `Understood.\n\n${fence('python', 'from app.dates import parse_iso\n\ndef created_at(payload):\n    return parse_iso(payload["created"])')}` },
      { request: 'thanks, that works', answer: 'Glad it helped.' },
    ], [
      { request: 'Parse the updated date string in the webhook payload', answer: fence('python', 'import datetime\n\ndef updated_at(body):\n    return datetime.datetime.strptime(body["updated"], "%Y-%m-%dT%H:%M:%S")') },
      { request: "That's wrong: use `parse_iso` not `strptime` for our dates", answer: fence('python', 'from app.dates import parse_iso\n\ndef updated_at(body):\n    return parse_iso(body["updated"])') },
    ]],
    heldOut: ['Parse the expiry date string of the coupon record', 'Add a helper that parses the date string in the invoice export'],
    complies: (a) => /parse_iso/.test(a) && !/strptime/.test(a),
  },
  {
    name: 'http',
    expectWords: ['httpx'],
    sessions: [[
      { request: 'Fetch the list of open orders from the billing HTTP API', answer: fence('python', 'import requests\n\ndef open_orders(base):\n    return requests.get(f"{base}/orders?state=open").json()') },
      { request: 'No, we use httpx in this project, with a timeout.', answer: fence('python', 'import httpx\n\ndef open_orders(base):\n    return httpx.get(f"{base}/orders?state=open", timeout=10).json()') },
    ]],
    heldOut: ['Fetch the customer profile from the accounts HTTP API', 'Call the HTTP API to fetch shipping rates'],
    complies: (a) => /httpx/.test(a) && !/\brequests\b/.test(a),
  },
  {
    name: 'logging',
    expectWords: ['print'],
    sessions: [[
      { request: 'Report progress while the import job processes each batch', answer: fence('python', 'def run(batches):\n    for i, batch in enumerate(batches):\n        print(f"batch {i}")\n        process(batch)') },
      { request: "Don't use print in the job code, log progress with logger.info", answer: fence('python', 'import logging\nlogger = logging.getLogger(__name__)\n\ndef run(batches):\n    for i, batch in enumerate(batches):\n        logger.info("batch %d", i)\n        process(batch)') },
    ]],
    heldOut: ['Report progress while the export job processes each batch of rows', 'Show progress of the cleanup job for each batch'],
    complies: (a) => /logger\.\w+\(/.test(a) && !/\bprint\(/.test(a),
  },
  {
    name: 'moment',
    expectWords: ['dayjs', 'moment'],
    sessions: [[
      { request: 'Format the invoice due timestamp as a readable day in the TypeScript report', answer: fence('ts', "import moment from 'moment';\n\nexport const due = (ts: number) => moment(ts).format('D MMM YYYY');") },
      { request: "still failing: Cannot find module 'moment'", answer: fence('ts', "import dayjs from 'dayjs';\n\nexport const due = (ts: number) => dayjs(ts).format('D MMM YYYY');") },
    ]],
    heldOut: ['Format the order timestamp as a readable day in the TypeScript dashboard', 'Show the report timestamp as a readable day and hour in TypeScript'],
    complies: (a) => /dayjs/.test(a) && !/moment/.test(a),
  },
  {
    name: 'sql',
    expectWords: ['parameter', 'placeholder'],
    sessions: [[
      { request: 'Query the users table for a user by email in the sqlite repository', answer: fence('python', 'def by_email(db, email):\n    return db.execute(f"SELECT * FROM users WHERE email = \'{email}\'").fetchone()') },
      { request: 'That is wrong. Always use parameterised queries with ? placeholders, never f-strings in SQL', answer: fence('python', 'def by_email(db, email):\n    return db.execute("SELECT * FROM users WHERE email = ?", (email,)).fetchone()') },
    ]],
    heldOut: ['Query the orders table for orders by customer id in the sqlite repository', 'Delete a user by email from the sqlite users table'],
    complies: (a) => /\?/.test(a) && !/f"SELECT|f"DELETE|f'SELECT/.test(a),
  },
];

/** Sessions without a correction: nothing to learn from them, and self-praise must not become a lesson. */
export const PLAIN_SESSIONS: Turn[][] = [[
  { request: 'Rename the variable tmp to total in the summary module', answer: `Done.\n\n${fence('python', 'total = sum(values)')}\n\nThis is now perfectly correct and follows all best practices.` },
  { request: 'great, thanks', answer: 'You are welcome.' },
]];

/** Requests no lesson is about: recalling anything for them is a false recall. */
export const UNRELATED: string[] = [
  'Explain what the CSS property justify-content does',
  'Rename the variable tmp to total in the summary module',
  'Write a unit test for the slugify helper',
  'What is the difference between a process and a thread?',
  'Add a README section about installing the project',
  'Sort the list of names alphabetically ignoring case',
];

function stamp(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '');
}

/** Writes one Aider project folder per session (chat history + input history); returns the chat history paths. */
export function writeAiderSessions(root: string, sessions: Turn[][], startMs = Date.UTC(2026, 0, 5, 9)): string[] {
  const files: string[] = [];
  sessions.forEach((turns, s) => {
    const dir = path.join(root, `project-${s}`);
    fs.mkdirSync(dir, { recursive: true });
    const start = startMs + s * 3600_000;
    const chat = [`# aider chat started at ${stamp(start)}`, '', '> Main model: gpt-4o with diff edit format', ''];
    const input: string[] = [];
    turns.forEach((turn, t) => {
      const at = start + (t + 1) * 60_000;
      chat.push(`#### ${turn.request}`, '', turn.answer, '', `> Tokens: 1.0k sent, 100 received.`, '');
      input.push(`# ${stamp(at)}`, `+${turn.request}`);
    });
    fs.writeFileSync(path.join(dir, '.aider.chat.history.md'), `${chat.join('\n')}\n`);
    fs.writeFileSync(path.join(dir, '.aider.input.history'), `${input.join('\n')}\n`);
    files.push(path.join(dir, '.aider.chat.history.md'));
  });
  return files;
}

export function allSessions(): Turn[][] {
  return [...KINDS.flatMap((k) => k.sessions), ...PLAIN_SESSIONS];
}
