// Redaction: every secret type becomes its typed placeholder, everything else stays byte for byte.
// Fake secrets are assembled from parts so no literal in this file looks like a live credential.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { redactionSummary, redactText, RedactionTally } from '../../extension/shared/redaction/redactText';
import { REDACTION_RULES } from '../../extension/shared/redaction/rules';
import { ClaudeRecordFactory } from './claudeRecordFactory';
import { importInto } from './importersSupport';

const alnum = (n: number, seed = 7): string => Array.from({ length: n }, (_, i) => 'aZ3kQ9mX2pL7vB4nR8tW6yC1dF5hJ0sG'[(i * seed + 3) % 32]).join('');
const b64 = (n: number): string => Array.from({ length: n }, (_, i) => 'wJalrXUtnFEMI/K7MDENG+bPxRfiCY9'[(i * 5 + 1) % 31]).join('');

/** [text with a secret, what it must become, placeholder type]. */
const SECRETS: Array<[string, string, string]> = [
  [`key ${'sk-'}${'ant-api03-'}${alnum(93)}AA end`, 'key [ANTHROPIC_API_KEY] end', 'ANTHROPIC_API_KEY'],
  [`OPENAI_API_KEY=${'sk-'}${'proj-'}${alnum(48)}_${alnum(20, 11)}`, 'OPENAI_API_KEY=[OPENAI_API_KEY]', 'OPENAI_API_KEY'],
  [`old ${'sk-'}${alnum(20)}${'T3Blbk'}${'FJ'}${alnum(20, 3)}.`, 'old [OPENAI_API_KEY].', 'OPENAI_API_KEY'],
  [`token: ${'gh'}${'p_'}${alnum(36)}`, 'token: [GITHUB_TOKEN]', 'GITHUB_TOKEN'],
  [`oauth ${'gh'}${'o_'}${alnum(36, 9)} app ${'gh'}${'s_'}${alnum(36, 13)}`, 'oauth [GITHUB_TOKEN] app [GITHUB_TOKEN]', 'GITHUB_TOKEN'],
  [`"${'github'}${'_pat_'}${alnum(22)}_${alnum(59, 5)}"`, '"[GITHUB_TOKEN]"', 'GITHUB_TOKEN'],
  [`HF_TOKEN=${'h'}${'f_'}${alnum(34)}`, 'HF_TOKEN=[HUGGINGFACE_TOKEN]', 'HUGGINGFACE_TOKEN'],
  [`aws_access_key_id = ${'AK'}${'IA'}${'IOSFODNN7EXAMPL3'}`, 'aws_access_key_id = [AWS_ACCESS_KEY_ID]', 'AWS_ACCESS_KEY_ID'],
  [`aws_secret_access_key = ${b64(40)}\n`, 'aws_secret_access_key = [AWS_SECRET_ACCESS_KEY]\n', 'AWS_SECRET_ACCESS_KEY'],
  [`{"SecretAccessKey": "${[...b64(40)].reverse().join('')}"}`, '{"SecretAccessKey": "[AWS_SECRET_ACCESS_KEY]"}', 'AWS_SECRET_ACCESS_KEY'],
  [`maps key ${'AI'}${'za'}Sy${alnum(33)}&q=1`, 'maps key [GOOGLE_API_KEY]&q=1', 'GOOGLE_API_KEY'],
  [`stripe ${'sk'}${'_live_'}${alnum(24)}`, 'stripe [STRIPE_KEY]', 'STRIPE_KEY'],
  [`slack ${'xo'}${'xb-'}1234567890-1234567890123-${alnum(24)}`, 'slack [SLACK_TOKEN]', 'SLACK_TOKEN'],
  [`hook https://hooks.slack.com/services/${'T0'}${alnum(8).toUpperCase()}/B0${alnum(8, 3).toUpperCase()}/${alnum(24)}`, 'hook [SLACK_WEBHOOK_URL]', 'SLACK_WEBHOOK_URL'],
  [`SENDGRID=${'S'}${'G.'}${alnum(22)}.${alnum(43, 3)}`, 'SENDGRID=[SENDGRID_API_KEY]', 'SENDGRID_API_KEY'],
  [`npm ${'np'}${'m_'}${alnum(36)}`, 'npm [NPM_TOKEN]', 'NPM_TOKEN'],
  [`gitlab ${'glp'}${'at-'}${alnum(20)}`, 'gitlab [GITLAB_TOKEN]', 'GITLAB_TOKEN'],
  [`Authorization: Bearer ${'ey'}${'JhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9'}.${'ey'}${'JzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkphbmUifQ'}.${alnum(43)}`, 'Authorization: Bearer [JWT]', 'JWT'],
  [`${'-----BEGIN '}${'OPENSSH PRIVATE'} KEY-----\n${b64(64)}\n${b64(40)}\n-----END OPENSSH PRIVATE KEY-----\nafter`, '[PRIVATE_KEY]\nafter', 'PRIVATE_KEY'],
  [`pasted ${'-----BEGIN '}${'RSA PRIVATE'} KEY-----\\n${b64(64)}\\n${b64(12)}`, 'pasted [PRIVATE_KEY]', 'PRIVATE_KEY'],
  [`DATABASE_URL=postgres://app:${'s3cr3t-'}${alnum(8)}@db.internal:5432/app`, 'DATABASE_URL=postgres://app:[PASSWORD]@db.internal:5432/app', 'PASSWORD'],
  [`mongodb+srv://admin:${'p%40ss'}${alnum(6)}@cluster0.example.net/db`, 'mongodb+srv://admin:[PASSWORD]@cluster0.example.net/db', 'PASSWORD'],
  [`contact jane.doe+${'work'}@example.co.uk or ops@corp.io.`, 'contact [EMAIL] or [EMAIL].', 'EMAIL'],
  [`STRIPE_WEBHOOK_SECRET=${'wh'}${'sec_'}${alnum(32)}`, 'STRIPE_WEBHOOK_SECRET=[STRIPE_WEBHOOK_SECRET]', 'STRIPE_WEBHOOK_SECRET'],
  [`-H "Authorization: Bearer ${alnum(40, 5)}"`, '-H "Authorization: Bearer [BEARER_TOKEN]"', 'BEARER_TOKEN'],
  [`Authorization: Basic ${Buffer.from(`admin:${alnum(12)}`).toString('base64')}\r\n`, 'Authorization: Basic [BASIC_AUTH]\r\n', 'BASIC_AUTH'],
];

/** Text with no secret: code, paths, URLs, package specs, look-alikes. Must come back unchanged. */
const CLEAN = [
  'export async function run(args: CliArgs): Promise<number> {\n  return 0;\n}\r\n',
  "C:\\Users\\dev\\AppData\\Roaming\\Code\\User\\globalStorage\\x.json and /home/dev/.claude/projects/-home-dev-app/a.jsonl",
  'git clone git@github.com:org/repo.git && npm i lodash@4.17.21 @types/node@20 react-native-stylex@microsoft.azure/autorest',
  'const className = "sk-navigation-menu-item-with-a-very-long-descriptive-name";',
  'postgres://localhost:5432/app http://localhost:3000/api?q=1 postgres://${USER}:${PASSWORD}@db/app redis://:*****@cache:6379',
  'commit 1a79a4d60de6718e8e5b326e338ae533 sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709 uuid 019e1625-789d-76c0-80ab-3724b5ddb799',
  '@Component({ selector: "app" }) class A {} ; @media (max-width: 600px) {} ; Promise.@resolve ; user@localhost',
  'emoji 🙂 naïve café — 中文 العربية; AKIA is a prefix, hf_small, ghp_short, eyJhbGciOi.only',
  'REDACTED_API_KEY, [GITHUB_TOKEN], [EMAIL] are placeholders already',
];

describe('redaction', () => {
  it('replaces each secret type with its typed placeholder and counts it', () => {
    const tally = new RedactionTally();
    for (const [text, expected] of SECRETS) assert.equal(redactText(text, tally), expected, text);
    const summary = redactionSummary(tally);
    for (const rule of REDACTION_RULES) assert.ok((summary.byType[rule.type] ?? 0) > 0, `${rule.type} is tested`);
    assert.equal(summary.byType.EMAIL, 2);
    assert.equal(summary.byType.GITHUB_TOKEN, 4);
    assert.equal(summary.total, SECRETS.length + 2, 'two rows hold two secrets each');
  });

  it('leaves text without secrets byte-identical and is idempotent', () => {
    for (const text of CLEAN) assert.equal(redactText(text), text);
    for (const [text] of SECRETS) {
      const once = redactText(text);
      assert.equal(redactText(once), once);
    }
  });

  it('keeps the secret out of everything an import emits', async () => {
    const token = `${'gh'}${'p_'}${alnum(36)}`;
    const aws = `${'AK'}${'IA'}${'ZZZZFODNN7EXAMPL3'.slice(0, 16)}`;
    const f = new ClaudeRecordFactory();
    const path = join(mkdtempSync(join(tmpdir(), 'autodidact-redact-')), 's.jsonl');
    writeFileSync(path, [
      f.user(`Use ${token} to push, mail me at dev@example.org`),
      f.toolUse('t1', 'Bash', { command: `AWS_ACCESS_KEY_ID=${aws} aws s3 ls` }),
      f.toolResult('t1', `Error: Exit code 255\nInvalid key ${aws}`, true),
      f.assistantText(`The key ${aws} was rejected.`),
    ].join('\n') + '\n');
    const { report, sink } = await importInto([path]);
    const everything = JSON.stringify(sink.events.filter((e) => e.type !== 'importCursor'));
    assert.ok(!everything.includes(token) && !everything.includes(aws) && !everything.includes('dev@example.org'));
    const [turn] = sink.interactions();
    assert.equal(turn.user_request, 'Use [GITHUB_TOKEN] to push, mail me at [EMAIL]');
    assert.equal(turn.issues_encountered[0], 'Bash failed: Error: Exit code 255');
    assert.equal(turn.assistant_response, 'The key [AWS_ACCESS_KEY_ID] was rejected.');
    assert.deepEqual(report.redactions.byType, { AWS_ACCESS_KEY_ID: 1, EMAIL: 1, GITHUB_TOKEN: 1 });
    assert.equal(report.files[0].redacted, 3);
  });
});
