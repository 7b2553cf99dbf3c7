// Lint for the whole repository. Beyond typescript-eslint's recommended rules it enforces
// the dependency direction (ARCHITECTURE.md): a package's source imports only the packages
// below it, and never another package's files (only its published entry points).
import tseslint from 'typescript-eslint';

/** Which @sepconv packages each package's src/ may import (ARCHITECTURE.md: arrows point down). */
const allowedDependencies = {
  tensor: [],
  graph: ['tensor'],
  cost: ['tensor', 'graph'],
  cpu: ['tensor'],
  webgpu: ['tensor'],
  conformance: ['tensor'],
  mobilenet: ['tensor', 'graph', 'cost'],
  // The `sepconv-cost` command counts; it runs nothing, so no backend.
  cli: ['tensor', 'graph', 'cost', 'mobilenet'],
};

const deepImports = {
  // `@sepconv/x/src/…`, `@sepconv/x/dist/…`, or a relative path into another package.
  regex: '^(@sepconv/[^/]+/(src|dist)(/|$)|(\\.\\./)+((packages|apps)/|[^./][^/]*/(src|dist)/))',
  message: "Import another package only through its published entry points ('@sepconv/x' or its exports subpaths), never its files.",
};

function importRule(allowed) {
  const forbidden = allowed.length === 0 ? '^@sepconv/' : `^@sepconv/(?!(${allowed.join('|')})(/|$))`;
  return [
    'error',
    {
      patterns: [
        deepImports,
        {
          regex: forbidden,
          message: `Dependencies point down only (ARCHITECTURE.md): this package may import ${allowed.length ? allowed.map((p) => `@sepconv/${p}`).join(', ') : 'no other @sepconv package'}.`,
        },
      ],
    },
  ];
}

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/src/generated/**',
      '**/.turbo/**',
      'apps/docs/.vitepress/cache/**',
      'apps/docs/.vitepress/dist/**',
      '**/test-results/**',
      'test/fixtures/**',
      // AssemblyScript, not TypeScript: its `@inline` function decorators do not parse as TS.
      'packages/cpu/assembly/**',
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { patterns: [deepImports] }],
    },
  },
  ...Object.entries(allowedDependencies).map(([name, allowed]) => ({
    files: [`packages/${name}/src/**/*.ts`, `packages/${name}/src/**/*.js`],
    rules: { 'no-restricted-imports': importRule(allowed) },
  })),
);
