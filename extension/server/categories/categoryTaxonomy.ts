// The categories interactions are sorted into: seed 000's ten (Security ... Analysis) and the ones
// everyday coding needs. Each has keywords and path rules for the rule classifier and a few
// description sentences, the prototypes the embedding classifier compares requests against.
// Order matters only to break exact ties (earlier wins), so specific categories come first.

export interface CategoryDefinition {
  name: string;
  /** Words or phrases, matched case-insensitively as whole words (plural and -ing/-ed forms included). */
  keywords: readonly string[];
  /** Generic words that hint at the category but weigh half as much (e.g. "fix" for Debugging). */
  weakKeywords?: readonly string[];
  /** Matched against each modified file's path (forward slashes). */
  paths?: readonly RegExp[];
  /** Sentences describing typical requests: the embedding prototypes. */
  descriptions: readonly string[];
  /** A request that matches this is in the category whatever else it says (an editor's completion
   *  record carries code, not a request: its words say nothing about what the user asked for). */
  marker?: RegExp;
}

/** Where an interaction lands when nothing points anywhere. */
export const FALLBACK_CATEGORY = 'General';

export const BUILT_IN_CATEGORIES: readonly CategoryDefinition[] = [
  {
    name: 'Quantization',
    keywords: ['quantize', 'quantization', 'quantized', 'gguf', 'ggml', 'int8', 'int4', '4-bit', '8-bit', 'awq', 'gptq', 'bitsandbytes', 'q4_k_m', 'q8_0', 'exl2', 'llama.cpp', 'bf16', 'fp16'],
    descriptions: [
      'Quantize a language model to 4-bit or 8-bit weights, for example GGUF, GPTQ or AWQ.',
      'Convert model weights to a smaller precision so the model fits in less memory.',
      'Compare the quality of a quantized model with the full precision one.',
    ],
  },
  {
    name: 'Training',
    keywords: ['fine-tune', 'fine-tuning', 'finetune', 'finetuning', 'lora', 'qlora', 'peft', 'epoch', 'epochs', 'learning rate', 'hyperparameter', 'batch size', 'gradient', 'training loss', 'eval loss', 'overfitting', 'warmup', 'optimizer', 'train the model', 'training run', 'training data', 'training set', 'adapter'],
    weakKeywords: ['train', 'training', 'model', 'checkpoint', 'dataset'],
    paths: [/(^|\/)train[^/]*\.py$/, /(^|\/)training\//, /(^|\/)finetune/],
    descriptions: [
      'Fine-tune a language model with LoRA on a custom dataset.',
      'Choose training hyperparameters such as learning rate, batch size and number of epochs.',
      'The training loss does not go down or the model overfits the training data.',
      'Prepare a dataset of examples to train a machine learning model.',
    ],
  },
  {
    name: 'Identity',
    keywords: ['identity', 'persona', 'system prompt', 'attribution', 'introduce itself', 'introduces itself', 'who are you', 'who made you', 'self-identify', 'identifies itself', 'identify itself', 'model name', 'created by', 'model card'],
    descriptions: [
      'Make the assistant model state its own name and who created it.',
      'Write the system prompt that defines the assistant persona and identity.',
      'The model answers that it is a different model; fix how it identifies itself.',
    ],
  },
  {
    name: 'Branding',
    keywords: ['brand', 'branding', 'logo', 'tagline', 'slogan', 'trademark', 'favicon', 'product name', 'rebrand', 'marketing', 'brand colors', 'brand name'],
    paths: [/logo/i, /favicon/i, /brand/i],
    descriptions: [
      'Rename the product and update the logo, tagline and brand colors everywhere.',
      'Write marketing copy and a slogan for the product landing page.',
      'Replace the old company name with the new brand name across the project.',
    ],
  },
  {
    name: 'Versioning',
    keywords: ['version bump', 'bump the version', 'semver', 'semantic versioning', 'changelog', 'release notes', 'git tag', 'tag the release', 'release tag', 'major version', 'minor version', 'patch version', 'versioning', 'prerelease', 'cut a release'],
    weakKeywords: ['version', 'release', 'tag'],
    paths: [/(^|\/)CHANGELOG/i, /(^|\/)VERSION$/, /(^|\/)RELEASE/i],
    descriptions: [
      'Bump the version number following semantic versioning and tag the release.',
      'Write the changelog and release notes for the new version.',
      'Decide whether a change needs a major, minor or patch version.',
    ],
  },
  {
    name: 'Security',
    keywords: ['security', 'secure', 'vulnerability', 'vulnerable', 'cve', 'xss', 'csrf', 'sql injection', 'injection', 'sanitize', 'sanitise', 'secret', 'secrets', 'api key', 'password', 'credential', 'encrypt', 'encryption', 'decrypt', 'authentication', 'authorization', 'oauth', 'permission', 'rbac', 'cors', 'content security policy', 'path traversal', 'ssl', 'tls', 'certificate', 'rate limit', 'owasp', 'leak', 'leaked', 'redact', 'hash the password', 'bcrypt', 'privilege', 'auth', '安全', 'sécurité', 'seguridad', 'sicherheit'],
    weakKeywords: ['token', 'tokens', 'login', 'validate', 'untrusted'],
    paths: [/(^|\/)(auth|security|crypto)\//i, /\.(pem|key|crt)$/, /(^|\/)\.env(\.|$)/, /secret/i],
    descriptions: [
      'Fix a security vulnerability such as SQL injection, cross-site scripting or path traversal.',
      'Store API keys, tokens and passwords safely instead of hard-coding them.',
      'Add authentication and permission checks so users cannot access data of others.',
      'Validate and sanitize untrusted user input before using it.',
    ],
  },
  {
    name: 'Testing',
    keywords: ['test', 'tests', 'unit test', 'integration test', 'e2e', 'end-to-end', 'pytest', 'jest', 'mocha', 'vitest', 'coverage', 'mock', 'mocks', 'stub', 'fixture', 'fixtures', 'assertion', 'snapshot', 'test case', 'flaky', 'tdd', 'spec', 'playwright', 'cypress', 'unittest', '测试', '測試', 'pruebas', 'prueba unitaria'],
    paths: [/(^|\/)(tests?|__tests__|spec)\//, /\.(test|spec)\.[jt]sx?$/, /_test\.(go|py)$/, /(^|\/)test_[^/]+\.py$/, /conftest\.py$/],
    descriptions: [
      'Write unit tests for this function and cover the edge cases.',
      'A test is failing or flaky in the test suite; make it pass reliably.',
      'Mock the network calls in the tests and increase code coverage.',
    ],
  },
  {
    name: 'Performance',
    keywords: ['performance', 'slow', 'slower', 'faster', 'speed up', 'optimize', 'optimise', 'optimization', 'latency', 'throughput', 'memory leak', 'memory usage', 'cpu usage', 'profiling', 'profiler', 'bottleneck', 'caching', 'n+1', 'benchmark', 'lazy load', 'debounce', 'efficient', 'takes too long', 'high memory', '性能', '效能', '优化', '優化', 'rendimiento'],
    weakKeywords: ['cache', 'speed', 'memory'],
    descriptions: [
      'This code is too slow; make it faster and reduce latency.',
      'Find the memory leak and reduce memory usage.',
      'Profile the application to find the bottleneck and add caching.',
    ],
  },
  {
    name: 'Dependencies',
    keywords: ['dependency', 'dependencies', 'npm install', 'pip install', 'yarn add', 'pnpm', 'poetry', 'requirements.txt', 'lockfile', 'package-lock', 'peer dependency', 'version conflict', 'deprecated package', 'upgrade', 'upgrading', 'node_modules', 'go.mod', 'cargo.toml', 'pin the version', 'npm audit', '依赖', '依賴', 'dépendance', 'dependencia', 'abhängigkeit'],
    weakKeywords: ['package', 'packages', 'library', 'install', 'update'],
    paths: [/(^|\/)package(-lock)?\.json$/, /(^|\/)requirements[^/]*\.txt$/, /(^|\/)(pyproject\.toml|Pipfile|Pipfile\.lock|poetry\.lock|go\.mod|go\.sum|Cargo\.toml|Cargo\.lock|yarn\.lock|pnpm-lock\.yaml|Gemfile(\.lock)?)$/],
    descriptions: [
      'Upgrade a package to its latest version and fix what the upgrade breaks.',
      'Resolve a dependency version conflict between two libraries.',
      'Add a new library to the project and install it.',
    ],
  },
  {
    name: 'Build',
    keywords: ['compile', 'compiler', 'compilation', 'bundle', 'bundler', 'webpack', 'vite', 'esbuild', 'rollup', 'tsc', 'tsconfig', 'makefile', 'cmake', 'gradle', 'maven', 'babel', 'transpile', 'linker', 'link error', 'build error', 'build fails', 'cargo build', 'source map', 'sourcemap', 'build script'],
    weakKeywords: ['build', 'builds'],
    paths: [/(^|\/)(Makefile|CMakeLists\.txt|build\.gradle|pom\.xml|tsconfig[^/]*\.json)$/, /(webpack|vite|rollup|esbuild|babel)\.config/, /(^|\/)build\.(mjs|js|ts|sh)$/],
    descriptions: [
      'The project does not compile; fix the build errors.',
      'Configure the bundler, such as webpack, vite or esbuild, to produce the output files.',
      'Set up the compiler options and the build scripts.',
    ],
  },
  {
    name: 'Deployment',
    keywords: ['deploy', 'deployment', 'ci', 'ci/cd', 'pipeline', 'github actions', 'workflow', 'docker', 'dockerfile', 'docker-compose', 'kubernetes', 'k8s', 'helm', 'terraform', 'aws', 'gcp', 'azure', 'vercel', 'netlify', 'heroku', 'production', 'staging', 'nginx', 'serverless', 'lambda', 'container', 'rollout', 'hosting', 'cloud run', 'publish to', '部署', 'déployer', 'despliegue', 'bereitstellung'],
    paths: [/(^|\/)\.github\/workflows\//, /Dockerfile/, /docker-compose/, /\.gitlab-ci\.yml$/, /(^|\/)(k8s|helm|terraform|deploy)\//, /\.tf$/, /(^|\/)(Procfile|vercel\.json|netlify\.toml|fly\.toml)$/],
    descriptions: [
      'Deploy the application to production on a cloud platform.',
      'Set up a CI/CD pipeline with GitHub Actions that tests and deploys on every push.',
      'Write a Dockerfile and Kubernetes manifests to run the service in containers.',
    ],
  },
  {
    name: 'Data',
    keywords: ['database', 'sql', 'query', 'queries', 'postgres', 'postgresql', 'mysql', 'sqlite', 'mongodb', 'redis', 'schema', 'migration', 'migrations', 'table', 'column', 'add an index', 'database index', 'orm', 'prisma', 'sequelize', 'sqlalchemy', 'join', 'transaction', 'csv', 'dataframe', 'pandas', 'etl', 'data pipeline', 'foreign key', 'primary key', '数据库', '資料庫', '數據庫', 'base de données', 'base de datos', 'datenbank'],
    weakKeywords: ['data', 'records', 'rows'],
    paths: [/(^|\/)migrations?\//, /\.sql$/, /schema\.prisma$/, /(^|\/)models?\//],
    descriptions: [
      'Write a SQL query that joins two tables and aggregates the results.',
      'Add a database migration that creates a new table with an index.',
      'Load the CSV data into a dataframe, clean it and transform it.',
    ],
  },
  {
    name: 'Configuration',
    keywords: ['config', 'configuration', 'configure', 'settings', 'environment variable', 'environment variables', 'env var', 'env vars', 'dotenv', 'feature flag', 'yaml config', 'toml', 'ini file', 'command-line option', 'cli flag', 'defaults', 'setting', '配置', '设置', '設定', 'paramètre'],
    weakKeywords: ['option', 'options', 'flag', 'flags'],
    paths: [/(^|\/)config\//, /\.(ya?ml|toml|ini)$/, /(^|\/)settings[^/]*\.json$/, /\.config\.[jt]s$/, /(^|\/)\.env/],
    descriptions: [
      'Read the setting from an environment variable with a sensible default.',
      'Add a configuration option so users can turn the feature on or off.',
      'Load configuration from a YAML or TOML file and validate it.',
    ],
  },
  {
    name: 'Format',
    keywords: ['format', 'formatting', 'formatter', 'prettier', 'black', 'indentation', 'indent', 'whitespace', 'lint', 'linter', 'linting', 'eslint', 'ruff', 'flake8', 'code style', 'line length', 'trailing comma', 'tabs', 'pretty print', 'pretty-print', 'json output', 'output format', 'markdown table', 'convert to json', 'convert to yaml', 'serialize'],
    paths: [/(^|\/)\.(prettierrc|editorconfig|eslintrc)/, /(^|\/)(ruff|\.flake8|\.pylintrc)/],
    descriptions: [
      'Format the code with prettier or black and fix the linter warnings.',
      'Change the output format to JSON or a markdown table.',
      'Fix the indentation and code style so it follows the style guide.',
    ],
  },
  {
    name: 'Documentation',
    keywords: ['documentation', 'docs', 'readme', 'docstring', 'docstrings', 'jsdoc', 'tsdoc', 'comments', 'comment', 'tutorial', 'guide', 'api reference', 'markdown', 'wiki', 'typedoc', 'sphinx', 'mkdocs', 'document', 'usage example', 'contributing', 'claude.md', 'agents.md', 'gemini.md', 'copilot-instructions', 'add a comment', '文档', '文檔', '注释', '註解', 'commentaire', 'documentación', 'dokumentation'],
    paths: [/\.(md|rst|adoc)$/i, /(^|\/)docs?\//, /(^|\/)README/i],
    descriptions: [
      'Write documentation for this module: a README section with usage examples.',
      'Add docstrings and comments that explain what the functions do.',
      'Update the guide and API reference after the change.',
    ],
  },
  {
    name: 'UI',
    keywords: ['ui', 'ux', 'button', 'css', 'scss', 'stylesheet', 'layout', 'component', 'react', 'vue', 'svelte', 'html', 'modal', 'dropdown', 'form', 'responsive', 'dark mode', 'theme', 'font', 'color', 'colour', 'animation', 'tailwind', 'frontend', 'front-end', 'navbar', 'sidebar', 'widget', 'accessibility', 'a11y', 'aria', 'tooltip', 'icon', 'page', 'screen', 'webview', 'flexbox', 'grid', 'hover', '界面', '介面', '页面', '頁面', '按钮', '按鈕'],
    paths: [/\.(css|scss|sass|less|tsx|jsx|vue|svelte|html)$/, /(^|\/)(components|views|pages|ui)\//],
    descriptions: [
      'Change the layout of the page and style the buttons with CSS.',
      'Build a React component with a form and a dropdown.',
      'Make the user interface responsive on mobile and support dark mode.',
    ],
  },
  {
    name: 'Refactoring',
    keywords: ['refactor', 'refactoring', 'restructure', 'clean up', 'cleanup', 'rename', 'extract', 'split', 'simplify', 'duplicate code', 'duplication', 'dry', 'reorganize', 'reorganise', 'modularize', 'tidy', 'technical debt', 'legacy code', 'readability', 'decouple', 'move the', 'inline', 'dead code', 'convert', 'commonjs', 'es modules', 'esm syntax', 'async/await', 'modernize', 'redundant code', '重构', '重構', '冗余', '冗餘', '简洁', '簡潔', 'refactoriser', 'consolidation', 'consolider'],
    descriptions: [
      'Refactor this function: split it into smaller functions and remove the duplication.',
      'Rename variables and reorganize the module so the code is easier to read.',
      'Clean up legacy code and remove dead code without changing behaviour.',
      'Convert the code to another syntax without changing behaviour, for example CommonJS to ES modules or callbacks to async/await.',
    ],
  },
  {
    name: 'Analysis',
    keywords: ['analyze', 'analyse', 'analysis', 'explain', 'review', 'code review', 'investigate', 'understand', 'walk me through', 'what does', 'how does', 'why does', 'summarize', 'summarise', 'overview', 'compare', 'evaluate', 'assess', 'audit', 'figure out', 'trace through', 'scan the repo', 'scan the codebase', 'search the codebase', 'search all files', 'find all', 'tell me what', 'checklist', '分析', '调查', '調查', '检查', '檢查', 'analyser', 'analizar', 'analysieren', 'explique', 'explica', 'erkläre'],
    descriptions: [
      'Explain what this code does and how the pieces fit together.',
      'Review the pull request and point out problems.',
      'Analyze the codebase and summarize its architecture.',
      'Compare the two approaches and tell me which is better.',
    ],
  },
  {
    name: 'Debugging',
    keywords: ['bug', 'bugs', 'debug', 'debugging', 'crash', 'crashes', 'exception', 'stack trace', 'stacktrace', 'traceback', 'segfault', 'null pointer', 'undefined is not', 'typeerror', 'referenceerror', 'keyerror', 'attributeerror', 'valueerror', 'nullpointerexception', 'panic', 'hangs', 'freezes', 'regression', 'breakpoint', 'not working', "doesn't work", 'does not work', 'broken', 'wrong result', 'unexpected', 'diagnose', 'diagnostic', 'root cause', 'erreur', 'échec', 'bogue', 'fehler', 'falla', '错误', '錯誤', '报错', '報錯', '调试', '調試', 'ne marche pas', 'ne fonctionne pas', 'no funciona', 'funktioniert nicht'],
    weakKeywords: ['fix', 'error', 'errors', 'fails', 'failing', 'issue'],
    descriptions: [
      'Fix the bug: the app crashes with an exception and a stack trace.',
      'This function returns the wrong result; find out why and fix it.',
      'Debug why the request fails with an error only in some cases.',
    ],
  },
  {
    name: 'Version control',
    keywords: ['git', 'pull request', 'merge conflict', 'merge request', 'rebase', 'cherry-pick', 'git stash', 'new branch', 'feature branch', 'gitignore', '.gitignore', 'git diff', 'git log', 'git status', 'squash', 'submodule', 'revert the commit', 'amend'],
    weakKeywords: ['commit', 'commits', 'push', 'branch', 'branches', 'merge', 'diff', 'pull', 'github', 'gitlab'],
    paths: [/(^|\/)\.gitignore$/, /(^|\/)\.gitattributes$/, /(^|\/)\.gitmodules$/],
    descriptions: [
      'Commit these changes with a good message and push the branch to origin.',
      'Resolve the merge conflict after rebasing onto main.',
      'Show the git diff of what changed and open a pull request.',
    ],
  },
  {
    name: 'Shell',
    keywords: ['shell', 'bash', 'zsh', 'fish shell', 'powershell', 'shell script', 'bash script', 'terminal', 'command line', 'command-line', 'chmod', 'chown', 'pwd', 'mkdir', 'symlink', 'alias', 'cron', 'crontab', 'ssh', 'scp', 'rsync', 'grep', 'sed', 'awk', 'xargs', 'environment path', '$path', 'shebang', 'for loop in bash', 'exit code', 'stdout', 'stderr', 'pipe the output', 'cd', 'echo', 'basename', 'sudo', 'ls', 'export path'],
    weakKeywords: ['script', 'scripts', 'command', 'commands', 'run'],
    paths: [/\.(sh|bash|zsh|ps1|bat|cmd|fish)$/, /(^|\/)\.(bashrc|zshrc|profile|bash_profile)$/],
    descriptions: [
      'Write a bash script that loops over the folders and runs a command in each.',
      'Which shell command lists the files, changes permissions or finds text in them?',
      'Run this command in the terminal and explain its output.',
    ],
  },
  {
    name: 'Implementation',
    keywords: ['implement', 'implementation', 'new feature', 'add a feature', 'add support for', 'add a function', 'add a method', 'add an endpoint', 'write a function', 'write a class', 'write a script', 'create a function', 'create a class', 'create a new file', 'add a new file', 'add this file', 'scaffold', 'scaffolding', 'boilerplate', 'stub out', 'prototype', 'console.log', 'console log', 'print statement', 'add a log', 'logging statement', 'type declarations', 'typescript types', 'add a parameter', 'add an option to', '实现', '實現', '新功能', 'implémenter', 'implementar', 'implementieren'],
    weakKeywords: ['feature', 'features', 'endpoint'],
    descriptions: [
      'Implement a new feature: add the function, the class and the code that calls it.',
      'Change this line of code so it prints something else, or add a log statement.',
      'Create a new file with this code and wire it into the project.',
    ],
  },
  {
    name: 'Code completion',
    keywords: ['autocomplete', 'code completion', 'inline completion', 'tab completion', 'fill in the middle'],
    marker: /^\[autocomplete\]|<\|cursor\|>|<\|fim_(prefix|middle|suffix)\|>/,
    descriptions: [
      'Complete the code at the cursor position.',
      'Suggest the rest of this line of code.',
      'Inline code completion while typing in the editor.',
    ],
  },
];
