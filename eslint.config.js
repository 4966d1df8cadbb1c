import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      // The domain core imports no framework and no adapter: dependencies point inward.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            'fastify*',
            'kysely',
            'pg',
            'better-sqlite3',
            'pino',
            'commander',
            '**/adapters/**',
            '**/http/**',
            '**/cli/**',
            '**/application/**',
            '**/composition/**',
          ],
        },
      ],
    },
  },
  {
    files: ['src/application/**/*.ts'],
    rules: {
      // Use cases know adapters only by their ports (src/application/ports); the composition root
      // (src/composition) builds the adapters and hands them in.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            'fastify*',
            'kysely',
            'pg',
            'better-sqlite3',
            'commander',
            '**/adapters/**',
            '**/composition/**',
            '**/http/**',
            '**/cli/**',
          ],
        },
      ],
    },
  },
  { rules: { '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }] } },
);
