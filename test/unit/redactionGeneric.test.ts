// Issue 14 item 2: secrets with no shape of their own (a password in a .env line, a key in YAML or
// JSON), Authorization headers, connection strings, private keys pasted inside JSON strings, a
// Stripe webhook secret, the trainer-server's own token, and chat references. Code and prose that
// only name secrets stay byte for byte. Fake secrets are assembled from parts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { redactCaptureEvent } from '../../extension/shared/redaction/redactCaptureEvent';
import { redactionSummary, redactText, RedactionTally } from '../../extension/shared/redaction/redactText';
import { forgetSecret, rememberSecret } from '../../extension/shared/redaction/knownSecrets';
import { secretKeyType } from '../../extension/shared/redaction/assignmentScanner';

const pw = `hunter${'2'}Xq9`;
const rnd = (n: number, seed = 7): string => Array.from({ length: n }, (_, i) => 'aZ3kQ9mX2pL7vB4nR8tW6yC1dF5hJ0sG'[(i * seed + 3) % 32]).join('');

/** [text, what it must become]. */
const GENERIC: Array<[string, string]> = [
  // .env / shell
  [`DB_PASSWORD=${pw}\nDB_USER=app\n`, 'DB_PASSWORD=[PASSWORD]\nDB_USER=app\n'],
  ['export DB_PASSWORD=postgres', 'export DB_PASSWORD=[PASSWORD]'],
  [`API_KEY=${rnd(24)}`, 'API_KEY=[SECRET]'],
  // YAML
  [`db:\n  password: "${pw}"\n  user: app`, 'db:\n  password: "[PASSWORD]"\n  user: app'],
  [`  password: ${pw}\n`, '  password: [PASSWORD]\n'],
  [`client_secret: '${rnd(20, 3)}'`, "client_secret: '[SECRET]'"],
  // JSON, also escaped inside another JSON string
  [`{"api_key": "${rnd(32)}", "model": "gpt-4o"}`, '{"api_key": "[SECRET]", "model": "gpt-4o"}'],
  [`{\\"password\\":\\"${pw}\\",\\"user\\":\\"app\\"}`, '{\\"password\\":\\"[PASSWORD]\\",\\"user\\":\\"app\\"}'],
  // TOML / INI / code
  [`[database]\npassword = "${pw}"\nhost = "db"`, '[database]\npassword = "[PASSWORD]"\nhost = "db"'],
  [`[auth]\naccess_key = ${rnd(20, 11)}\n`, '[auth]\naccess_key = [SECRET]\n'],
  [`api_key = "${rnd(40, 9)}"  # from the dashboard`, 'api_key = "[SECRET]"  # from the dashboard'],
  [`client = Client(api_key="${rnd(30, 5)}")`, 'client = Client(api_key="[SECRET]")'],
  [`password := "${pw}"`, 'password := "[PASSWORD]"'],
  [`'password' => '${pw}',`, "'password' => '[PASSWORD]',"],
  [`const config = { authToken: "${rnd(36, 13)}" };`, 'const config = { authToken: "[SECRET]" };'],
  // headers
  [`X-Api-Key: ${rnd(28)}`, 'X-Api-Key: [SECRET]'],
  [`Authorization: Bearer ${'4f9a0c2b7e1d3a5c'}${'9b8e7f6a5d4c3b2a1f0e9d8c'}`, 'Authorization: Bearer [BEARER_TOKEN]'],
  [`Authorization: Basic ${Buffer.from(`deploy:${pw}`).toString('base64')}`, 'Authorization: Basic [BASIC_AUTH]'],
  // connection strings
  [`DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${Buffer.from(rnd(48)).toString('base64')};EndpointSuffix=core.windows.net`,
    'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=[SECRET];EndpointSuffix=core.windows.net'],
  [`Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=root;SharedAccessKey=${rnd(44, 3)}=`, 'Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=root;SharedAccessKey=[SECRET]'],
  [`Server=db;Database=app;User Id=sa;Password=${pw};`, 'Server=db;Database=app;User Id=sa;Password=[PASSWORD];'],
  [`postgres://user:${pw}@db.internal:5432/app`, 'postgres://user:[PASSWORD]@db.internal:5432/app'],
  // a private key pasted into a JSON string: escaped newlines, the whole block goes
  [`{"private_key": "${'-----BEGIN '}PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\n${rnd(64)}\\n-----END PRIVATE KEY-----\\n", "client_email": "x"}`,
    '{"private_key": "[PRIVATE_KEY]\\n", "client_email": "x"}'],
  // Stripe webhook signing secret
  [`endpoint_secret = '${'wh'}${'sec_'}${rnd(32, 5)}'`, "endpoint_secret = '[STRIPE_WEBHOOK_SECRET]'"],
  // a high-entropy value next to a secret-named key, unquoted
  [`signing_key: ${rnd(24, 11)}+/${rnd(8)}`, 'signing_key: [SECRET]'],
];

/** Code and prose that name secrets without holding one. Byte-identical after redaction. */
const BENIGN = [
  'The password field must be at least 8 characters; password_min_length: 8, show_password: false',
  'const password = getPassword();\nconst token = await getToken();\nreturn { password, token };',
  'password: string;\napiKey?: string | undefined;\ntoken: Token;',
  'def login(user, password=None, api_key=os.environ["API_KEY"]): pass',
  'password = request.form.password\nsecret = settings.SECRET_KEY\napi_key = config.api_key',
  'DB_PASSWORD=${DB_PASSWORD}\nAPI_KEY=$API_KEY\nTOKEN=$(cat token.txt)',
  'github_token: ${{ secrets.GITHUB_TOKEN }}\npassword: "{{ vault_password }}"\napi_key: "<your-api-key>"\nsecret: "********"',
  '<input type="password" name="password" autocomplete="current-password">',
  'max_tokens: 4096, input_tokens: 1234, cache_read_input_tokens: 0, tokenizer: gpt2',
  "apiKey: 'proxy-handled', token: 'REDACTED_API_KEY', 'authorization': 'Bearer REDACTED_TOKEN'",
  'curl -H "Authorization: Bearer $TOKEN" https://api.example.com; Bearer tokens expire; Basic usage; token budget',
  'if a == b: password_ok = check(password) != None  # std::string key; x => x.token',
  'ssh_private_key: ~/.ssh/id_ed25519\ntoken_file: ./secrets/token.txt\nsecret_name: my-app-secret',
  'git@github.com:org/repo.git https://example.com/path?page=2&sort=asc',
];

describe('generic secrets', () => {
  it('redacts each assignment, header, connection string and key block', () => {
    const tally = new RedactionTally();
    for (const [text, expected] of GENERIC) assert.equal(redactText(text, tally), expected, text);
    const summary = redactionSummary(tally);
    for (const type of ['PASSWORD', 'SECRET', 'BEARER_TOKEN', 'BASIC_AUTH', 'PRIVATE_KEY', 'STRIPE_WEBHOOK_SECRET']) assert.ok(summary.byType[type] > 0, type);
  });

  it('is idempotent', () => {
    for (const [text] of GENERIC) {
      const once = redactText(text);
      assert.equal(redactText(once), once);
    }
  });

  it('leaves code and prose that only name secrets byte-identical', () => {
    for (const text of BENIGN) assert.equal(redactText(text), text);
  });

  it('judges a key by its last word', () => {
    for (const name of ['DB_PASSWORD', 'password', 'mysqlRootPassword', 'client_secret', 'JWT_SECRET', 'access_token', 'GITHUB_TOKEN', 'x-api-key', 'apiKey', 'AccountKey', 'SharedAccessKey', 'aws_secret_access_key', '_authToken', 'private_key']) {
      assert.ok(secretKeyType(name), name);
    }
    for (const name of ['password_min_length', 'max_tokens', 'token_count', 'secret_name', 'key', 'primary_key', 'tokenizer', 'passes', 'type']) {
      assert.equal(secretKeyType(name), undefined, name);
    }
  });
});

describe('secrets the process knows', () => {
  it("redacts the trainer-server's token wherever it is pasted", () => {
    const token = rnd(43, 9).replace(/[0-9]/g, 'x'); // no digits: no rule would catch it by its looks
    assert.equal(redactText(`use ${token} please`), `use ${token} please`, 'unknown, it has no shape to find');
    rememberSecret('TRAINER_TOKEN', token);
    try {
      const tally = new RedactionTally();
      assert.equal(redactText(`use ${token} please, again ${token}`, tally), 'use [TRAINER_TOKEN] please, again [TRAINER_TOKEN]');
      assert.deepEqual(redactionSummary(tally).byType, { TRAINER_TOKEN: 1 });
    } finally {
      forgetSecret(token);
    }
  });
});

describe('capture events', () => {
  it("redacts a chat interaction's references like every other field", () => {
    const secret = `${'gh'}${'p_'}${rnd(36)}`;
    const event = redactCaptureEvent({
      type: 'interaction',
      interaction: {
        id: 'chat-1', sessionId: 'chat-s', source: 'chat-participant', startedAt: 1, user_request: 'fix it', assistant_response: 'done',
        tools_used: [], files_modified: [], issues_encountered: [], solutions_applied: [], effectiveness: null,
        references: ['src/a.ts:1-4', `selection: DB_PASSWORD=${pw} ${secret}`],
      },
    }, new RedactionTally());
    assert.ok(event.type === 'interaction');
    assert.deepEqual(event.interaction.references, ['src/a.ts:1-4', 'selection: DB_PASSWORD=[PASSWORD] [GITHUB_TOKEN]']);
  });
});

describe("the local trainer-server's token file", () => {
  it('is read once, so a process that never connected (an import) redacts the token too', () => {
    const home = mkdtempSync(join(tmpdir(), 'autodidact-trainer-home-'));
    const token = rnd(43, 5).replace(/[0-9]/g, 'q');
    writeFileSync(join(home, 'token'), `${token}\n`);
    try {
      // A fresh process: the registry starts empty, as in the analysis server.
      const script = `const { redactText } = require(${JSON.stringify(require.resolve('../../extension/shared/redaction/redactText'))}); process.stdout.write(redactText(process.argv[1]));`;
      const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script, `pasted ${token} here`], { env: { ...process.env, AUTODIDACT_TRAINER_HOME: home }, encoding: 'utf8' });
      assert.equal(run.stdout, 'pasted [TRAINER_TOKEN] here', run.stderr);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('hostile text', () => {
  it('stays linear on long runs of key words and unclosed quotes', () => {
    const texts = [
      'key'.repeat(400_000),
      'password: "'.repeat(100_000),
      'token='.repeat(100_000),
      'token:'.repeat(100_000),
      'password: '.repeat(100_000),
      `"api_key": "${'a'.repeat(1_000_000)}`,
    ];
    for (const text of texts) {
      const started = performance.now();
      redactText(text);
      const ms = performance.now() - started;
      // Linear work is well under a second here; the quadratic walks this guards against took over a minute.
      assert.ok(ms < 10_000, `${text.slice(0, 20)}…: ${ms.toFixed(0)} ms for ${(text.length / 1e6).toFixed(1)} MB`);
    }
  });
});
