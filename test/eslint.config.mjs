// Tests, benchmarks and their helpers are not part of the package: n8n's node rules (no process,
// no node:http, no timers ...) do not apply to them. They get the TypeScript recommended rules.
// Used through ESLint's per-folder config lookup (ESLINT_FLAGS in package.json's lint script).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config({
	files: ['**/*.ts'],
	extends: [js.configs.recommended, tseslint.configs.recommended],
	rules: {
		// Tests read n8n's untyped item JSON and execution data.
		'@typescript-eslint/no-explicit-any': 'off',
		// jest.isolateModules hands out a fresh copy of a module only through require().
		'@typescript-eslint/no-require-imports': 'off',
		'@typescript-eslint/no-unused-vars': [
			'error',
			{ argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
		],
	},
});
