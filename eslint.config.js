// @ts-check
import tseslint from 'typescript-eslint';
import nounsanitized from 'eslint-plugin-no-unsanitized';

export default tseslint.config(
  { ignores: ['.output/**', '.wxt/**', 'node_modules/**', 'docs/**', 'tests/fixtures/**'] },
  ...tseslint.configs.recommended,
  nounsanitized.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
      // Page-derived text must never become markup: no HTML sinks anywhere, sanitised or not.
      // no-unsanitized (above) flags HTML sinks fed with non-literal values; these also forbid literal ones.
      // Reading innerHTML (serialising an inert copy) stays allowed.
      'no-restricted-properties': [
        'error',
        { property: 'insertAdjacentHTML', message: 'Build DOM nodes (or Preact) instead; page text must never become HTML.' },
        { property: 'setHTMLUnsafe', message: 'Build DOM nodes (or Preact) instead; page text must never become HTML.' },
        { object: 'document', property: 'write', message: 'document.write is an HTML sink.' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "AssignmentExpression[left.property.name=/^(innerHTML|outerHTML|srcdoc)$/]", message: 'Build DOM nodes (or Preact) instead; page text must never become HTML.' },
        { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'No raw HTML in views.' },
        { selector: "CallExpression[callee.name='eval']", message: 'No eval.' },
        { selector: "NewExpression[callee.name='Function']", message: 'No Function constructor.' },
      ],
    },
  },
  {
    // Pure logic must not reach for the extension APIs or the views: the entrypoints wire those in.
    files: ['utils/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['webextension-polyfill', 'wxt/browser'], message: 'utils/ is pure: receive browser APIs from the entrypoint.' },
          { group: ['**/components/**', '**/entrypoints/**'], message: 'utils/ must not import views or entrypoints.' },
        ],
      }],
    },
  },
  {
    // Tests and Node tools may parse fixtures with DOM writes; they never run in the extension.
    files: ['tests/**/*.ts', 'scripts/**/*.ts'],
    rules: { 'no-restricted-properties': 'off', 'no-restricted-syntax': 'off', 'no-unsanitized/property': 'off', 'no-unsanitized/method': 'off' },
  },
);
