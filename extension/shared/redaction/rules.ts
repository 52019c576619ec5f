// The secret patterns redaction looks for, as a table of data.
//
// Choice: a small table written here, not a maintained rule set loaded as data. Checked on the npm
// registry (Nov 2026): secretlint publishes its rules (@secretlint/secretlint-rule-preset-recommend
// 13.0.7 and one package per provider) as a 228 KB rollup bundle of rule *functions*; the patterns
// live inside closures and are reachable only by running secretlint's async lint engine, which
// builds a source object per call: far too slow for every string of a 200 MB import, and it has no
// JWT or email rule. gitleaks' TOML config is not on npm (the `gitleaks` package there is an
// unrelated 1.0.0 stub). So the formats below are written from the providers' documented token
// layouts; each row says which secretlint / gitleaks rule covers the same token, so a reviewer can
// compare. Rules run in table order: key blocks and URL credentials before emails, Anthropic
// before the looser OpenAI shapes.
//
// Every match starts with one of its rule's literal triggers: the engine finds those with indexOf
// (fast, and most text has none) and tries the rule's pattern only there, anchored.

export interface RedactionRule {
  /** Placeholder written instead of the secret: `[TYPE]`. */
  type: string;
  /** Literal strings every match starts with. */
  triggers: readonly string[];
  /** Tried at each trigger position (anchored there). With two groups, group 1 is kept context (a
   * key name, a URL's user) and group 2 is the secret; otherwise the whole match is the secret. */
  pattern: RegExp;
  /** Matches that look like a secret but are not (a template placeholder). */
  keep?: (secret: string) => boolean;
  /** The match must not be glued to a preceding token character (`mask-…` is not `sk-…`). */
  tokenStart?: boolean;
  provenance: string;
}

/** Characters that may continue a token; a match must not be glued to more of them. */
const TOKEN_END = '(?![A-Za-z0-9_-])';

function isTemplate(secret: string): boolean {
  return /^[$%{<*[]/.test(secret) || /^x+$/i.test(secret);
}

/** A bearer credential that another rule names more precisely (a JWT, a GitHub token) is left to that rule. */
function startsLikeTypedToken(secret: string): boolean {
  return REDACTION_RULES.some((rule) => rule.type !== 'BEARER_TOKEN' && rule.triggers.some((trigger) => secret.startsWith(trigger)));
}

export const REDACTION_RULES: readonly RedactionRule[] = [
  {
    type: 'PRIVATE_KEY',
    triggers: ['-----BEGIN '],
    // The whole block; a block cut off before its END line (a truncated paste) loses its body too.
    pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----(?:[\s\S]{0,65536}?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|[A-Za-z0-9+/=\s\\]*)/,
    provenance: 'PEM/OpenSSH/PGP private key armour (RFC 7468). secretlint-rule-privatekey; gitleaks private-key.',
  },
  {
    type: 'PASSWORD',
    triggers: ['://'],
    // scheme://user:password@host: the user and host stay (they say which service), the password goes.
    pattern: /(:\/\/[^\s:/?#@"'<>[\]]{1,256}:)([^\s@/?#"'<>]{1,256})(?=@[^\s@])/,
    keep: isTemplate,
    provenance: 'RFC 3986 userinfo. secretlint-rule-basicauth and -database-connection-string; gitleaks has no equivalent.',
  },
  {
    type: 'ANTHROPIC_API_KEY',
    triggers: ['sk-ant-'],
    tokenStart: true,
    pattern: new RegExp(`sk-ant-(?:api|admin|oat|sid)\\d{2}-[A-Za-z0-9_-]{32,200}${TOKEN_END}`),
    provenance: 'Anthropic console key layout sk-ant-api03-<base64url>. secretlint-rule-anthropic; gitleaks anthropic-api-key.',
  },
  {
    type: 'OPENAI_API_KEY',
    triggers: ['sk-'],
    tokenStart: true,
    // Project/service/admin keys carry a kind prefix; legacy user keys are 48 alphanumerics, and most
    // embed "T3BlbkFJ" (base64 of "OpenAI"). A bare `sk-` followed by a kebab-case name is not a key.
    pattern: new RegExp(`sk-(?:(?:proj|svcacct|admin|None)-[A-Za-z0-9_-]{40,300}|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}|[A-Za-z0-9]{48})${TOKEN_END}`),
    provenance: 'OpenAI key layouts (sk-proj-, sk-svcacct-, sk-admin-, legacy sk-+48). secretlint-rule-openai; gitleaks openai-api-key.',
  },
  {
    type: 'GITHUB_TOKEN',
    triggers: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
    tokenStart: true,
    pattern: new RegExp(`(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})${TOKEN_END}`),
    provenance: 'GitHub token prefixes (github.blog 2021-04-05 token format). secretlint-rule-github; gitleaks github-pat, github-fine-grained-pat, github-oauth, github-app-token.',
  },
  {
    type: 'GITLAB_TOKEN',
    triggers: ['glpat-'],
    tokenStart: true,
    pattern: new RegExp(`glpat-[A-Za-z0-9_-]{20,64}${TOKEN_END}`),
    provenance: 'GitLab personal access token prefix. secretlint-rule-gitlab; gitleaks gitlab-pat.',
  },
  {
    type: 'HUGGINGFACE_TOKEN',
    triggers: ['hf_'],
    tokenStart: true,
    pattern: new RegExp(`hf_[A-Za-z0-9]{34,40}${TOKEN_END}`),
    provenance: 'Hugging Face user access token hf_ + 34 letters. secretlint-rule-huggingface; gitleaks huggingface-access-token.',
  },
  {
    type: 'AWS_ACCESS_KEY_ID',
    triggers: ['AKIA', 'ASIA', 'ABIA', 'ACCA', 'A3T'],
    tokenStart: true,
    pattern: /(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Z0-9])/,
    provenance: 'AWS access key id prefixes (IAM docs, "unique identifiers"). secretlint-rule-aws; gitleaks aws-access-token.',
  },
  {
    type: 'AWS_SECRET_ACCESS_KEY',
    triggers: ['secret', 'Secret', 'SECRET'],
    // 40 base64 chars mean nothing alone (a SHA-1 hex is 40 chars too); only after a secret-key
    // name (aws_secret_access_key=, "SecretAccessKey":). A leading "aws_" stays as context.
    pattern: /(secret_?(?:access_?)?key["']?\s{0,4}(?:[:=]|=>)\s{0,4}["']?)([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/i,
    keep: isTemplate,
    provenance: 'AWS secret access key in an assignment. secretlint-rule-aws; gitleaks aws-secret-key (generic).',
  },
  {
    type: 'GOOGLE_API_KEY',
    triggers: ['AIza'],
    tokenStart: true,
    pattern: new RegExp(`AIza[0-9A-Za-z_-]{35}${TOKEN_END}`),
    provenance: 'Google API key AIza + 35. secretlint-rule-gcp; gitleaks gcp-api-key.',
  },
  {
    type: 'STRIPE_KEY',
    // Secret and restricted keys only: publishable pk_ keys are meant to be public.
    triggers: ['sk_live_', 'sk_test_', 'rk_live_', 'rk_test_'],
    tokenStart: true,
    pattern: new RegExp(`[sr]k_(?:live|test)_[0-9A-Za-z]{10,247}${TOKEN_END}`),
    provenance: 'Stripe secret/restricted key prefixes. secretlint-rule-stripe; gitleaks stripe-access-token.',
  },
  {
    type: 'STRIPE_WEBHOOK_SECRET',
    triggers: ['whsec_'],
    tokenStart: true,
    pattern: new RegExp(`whsec_[A-Za-z0-9+/=]{24,128}${TOKEN_END}`),
    provenance: 'Stripe webhook signing secret whsec_ (Stripe docs, "Check the webhook signatures"). gitleaks stripe-access-token does not cover it; secretlint-rule-stripe does not either.',
  },
  {
    type: 'BEARER_TOKEN',
    // Capitalised as in headers only: every trigger's first two letters are looked up at every
    // character, and lower-case `be`/`to` start half the words of English prose.
    triggers: ['Bearer ', 'BEARER '],
    // The credential of an Authorization header (RFC 6750 b64token). Prose ("Bearer tokens are...")
    // and templates ("Bearer $TOKEN") are kept: a token is 16+ characters and mixes digits or cases.
    pattern: /((?:Bearer|BEARER) +)([A-Za-z0-9._~+/-]{16,4096}=*)(?![A-Za-z0-9._~+/=-])/,
    keep: (secret) => isTemplate(secret) || !(/\d/.test(secret) || (/[a-z]/.test(secret) && /[A-Z]/.test(secret))) || startsLikeTypedToken(secret),
    tokenStart: true,
    provenance: 'RFC 6750 Authorization: Bearer. gitleaks has none generic; secretlint-rule-basicauth covers only Basic.',
  },
  {
    type: 'BASIC_AUTH',
    triggers: ['Basic ', 'BASIC '],
    // Authorization: Basic base64(user:password); only values that decode to user:password go.
    pattern: /((?:Basic|BASIC) +)([A-Za-z0-9+/]{8,1024}={0,2})(?![A-Za-z0-9+/=])/,
    keep: (secret) => !Buffer.from(secret, 'base64').toString('latin1').includes(':'),
    tokenStart: true,
    provenance: 'RFC 7617 Basic credentials. secretlint-rule-basicauth (user:password in URLs).',
  },
  {
    type: 'SLACK_WEBHOOK_URL',
    triggers: ['https://hooks.slack.com/'],
    pattern: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/-]{20,200}/,
    provenance: 'Slack incoming-webhook URL. secretlint-rule-slack; gitleaks slack-webhook-url.',
  },
  {
    type: 'SLACK_TOKEN',
    triggers: ['xox', 'xapp-'],
    tokenStart: true,
    pattern: new RegExp(`(?:xox[abposre]-[0-9A-Za-z-]{10,250}|xapp-\\d-[A-Z0-9]+-\\d+-[a-z0-9]+)${TOKEN_END}`),
    provenance: 'Slack bot/user/app token prefixes. secretlint-rule-slack; gitleaks slack-bot-token, slack-user-token, slack-app-token.',
  },
  {
    type: 'SENDGRID_API_KEY',
    triggers: ['SG.'],
    tokenStart: true,
    pattern: new RegExp(`SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}${TOKEN_END}`),
    provenance: 'SendGrid key SG.<22>.<43>. secretlint-rule-sendgrid; gitleaks sendgrid-api-token.',
  },
  {
    type: 'NPM_TOKEN',
    triggers: ['npm_'],
    tokenStart: true,
    pattern: new RegExp(`npm_[A-Za-z0-9]{36}${TOKEN_END}`),
    provenance: 'npm granular/automation token. secretlint-rule-npm; gitleaks npm-access-token.',
  },
  {
    type: 'JWT',
    triggers: ['eyJ'],
    tokenStart: true,
    // header.payload.signature, the first two being base64url JSON objects ("eyJ" = '{"').
    pattern: new RegExp(`eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}${TOKEN_END}`),
    provenance: 'RFC 7519 compact JWS. gitleaks jwt; secretlint has none.',
  },
];
