// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/** Rules that keep the domain pure: no clock, no randomness, no environment in src/core. */
const corePurity = {
  'no-restricted-globals': [
    'error',
    { name: 'process', message: 'core is pure: pass configuration in from a composition root.' },
  ],
  'no-restricted-properties': [
    'error',
    {
      object: 'Date',
      property: 'now',
      message: 'core is pure: take the time as a parameter (Clock).',
    },
    { object: 'Math', property: 'random', message: 'core is pure: use the seeded RNG.' },
  ],
  'no-restricted-syntax': [
    'error',
    {
      selector: 'NewExpression[callee.name="Date"][arguments.length=0]',
      message: 'core is pure: take the time as a parameter (Clock).',
    },
  ],
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'reports/',
      'coverage/',
      '.corridor/',
      'dist/',
      'src/client/schema.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Route handlers are async by convention, awaiting or not.
      '@typescript-eslint/require-await': 'off',
      eqeqeq: ['error', 'always'],
    },
  },
  { files: ['src/core/**/*.ts'], rules: corePurity },
  // The web app runs in the browser.
  { files: ['src/web/**/*.{ts,tsx}'], languageOptions: { globals: { ...globals.browser } } },
  {
    // Tests read response bodies as `res.json() as T`; the assertion documents what is expected.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-unnecessary-type-assertion': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
