// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const uiModules = ['react', 'react/*', 'ink', 'ink-*', '@alcalzone/ink-table', 'asciichart'];
const uiPaths = ['**/widgets/**', '**/app.js', '**/app.jsx', '**/keymap.js'];

export default tseslint.config(
	{ignores: ['dist/**', 'node_modules/**', 'coverage/**']},
	js.configs.recommended,
	...tseslint.configs.recommended,
	{
		languageOptions: {
			globals: {process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', Buffer: 'readonly', URL: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', performance: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', queueMicrotask: 'readonly', structuredClone: 'readonly'},
		},
		rules: {
			'@typescript-eslint/no-unused-vars': ['warn', {argsIgnorePattern: '^_', varsIgnorePattern: '^_'}],
			'@typescript-eslint/consistent-type-imports': 'warn',
			'no-restricted-syntax': ['warn', {selector: 'TSEnumDeclaration', message: 'Use an `as const` object instead of an enum.'}],
		},
	},
	{
		// probes/ measure, source/core/ decides: neither may know a UI exists.
		files: ['probes/**', 'source/core/**', 'source/engine/**', 'source/journal/**', 'source/actions/**', 'source/headless*', 'source/demo/**'],
		rules: {
			'no-restricted-imports': ['error', {patterns: [{group: [...uiModules, ...uiPaths], message: 'probes/, source/core/ and headless code must not import the UI (react, ink, widgets).'}]}],
		},
	},
	{
		// core is pure: no I/O, no clock.
		files: ['source/core/**'],
		rules: {
			'no-restricted-imports': ['error', {patterns: [{group: [...uiModules, ...uiPaths, 'node:*', 'fs', 'http', 'undici', '**/probes/**', '**/engine/**'], message: 'source/core/ is pure: no UI, no I/O, no probes.'}]}],
			'no-restricted-properties': ['error', {object: 'Date', property: 'now', message: 'Inject the clock.'}, {object: 'performance', property: 'now', message: 'Inject the clock.'}],
		},
	},
	{
		// widgets only render a snapshot.
		files: ['widgets/**'],
		rules: {
			'no-restricted-imports': ['error', {patterns: [{group: ['**/probes/**', '**/engine/**', '**/actions/**', '**/journal/**', 'undici', 'node:*'], message: 'widgets/ render snapshots only.'}]}],
		},
	},
);
