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
          ],
        },
      ],
    },
  },
  { rules: { '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }] } },
);
