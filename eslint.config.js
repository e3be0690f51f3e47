// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const uiModules = ['react', 'react/*', 'ink', 'ink-*', '@alcalzone/ink-table', 'asciichart'];
const uiPaths = ['**/widgets/**', '**/app.js', '**/app.jsx', '**/keymap.js'];
/** Core modules that hold rule, trigger and threshold logic: the engine reaches them only through the reducer. */
export const engineForbiddenCore = [
	'**/core/triggers*',
	'**/core/check-assessment*',
	'**/core/canary-phase*',
	'**/core/canary-step*',
	'**/core/canary-promotion*',
	'**/core/flag-write-outcomes*',
];
/** The engine's loop and its parts (stream-events and wire translate and connect, they do not loop). */
export const engineLoopFiles = [
	'source/engine/launch-engine.ts',
	'source/engine/launch-loop.ts',
	'source/engine/view-model.ts',
	'source/engine/action-runner.ts',
	'source/engine/operator-commands.ts',
	'source/engine/event-log.ts',
	'source/engine/engine-context.ts',
	'source/engine/engine-types.ts',
	'source/engine/journal-records.ts',
	'source/engine/fleet-port.ts',
	'source/engine/rollback-watch.ts',
];
/** Fields whose comparison is a decision: thresholds, abort and trigger settings, the canary's phase and guards. */
const decisionFields =
	'/^(threshold|abort|triggers|errorBurst|errorRate|latencyMs|stageDurationMs|stabilizationMs|holdOnInsufficientData|phase|armed|paused|pending|greenSince|lastCheckGreen)$/';

export default tseslint.config(
	{ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'source/plan/plan-validator.generated.ts']},
	js.configs.recommended,
	...tseslint.configs.recommended,
	{
		languageOptions: {
			globals: {
				process: 'readonly',
				console: 'readonly',
				setTimeout: 'readonly',
				clearTimeout: 'readonly',
				setInterval: 'readonly',
				clearInterval: 'readonly',
				setImmediate: 'readonly',
				Buffer: 'readonly',
				URL: 'readonly',
				AbortController: 'readonly',
				AbortSignal: 'readonly',
				performance: 'readonly',
				TextEncoder: 'readonly',
				TextDecoder: 'readonly',
				queueMicrotask: 'readonly',
				structuredClone: 'readonly',
			},
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
			'no-restricted-imports': [
				'error',
				{patterns: [{group: [...uiModules, ...uiPaths], message: 'probes/, source/core/ and headless code must not import the UI (react, ink, widgets).'}]},
			],
		},
	},
	{
		// source/engine wires: it calls the core's entry points and never reaches into the rules, triggers or thresholds.
		files: ['source/engine/**'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{group: [...uiModules, ...uiPaths], message: 'probes/, source/core/ and headless code must not import the UI (react, ink, widgets).'},
						{
							group: engineForbiddenCore,
							message: 'source/engine decides nothing: call the reducer (core/canary-machine) or the core entry points, not the rule and trigger internals.',
						},
					],
					paths: [
						{
							name: '../core/pre-launch.js',
							importNames: ['preLaunchBlocker', 'preLaunchTimedOut', 'recordPreLaunchGates'],
							message: "Gates A and B are the reducer's to judge: send it a `gates` event.",
						},
					],
				},
			],
		},
	},
	{
		// The loop and its parts may not compare thresholds or branch on the canary's phase: that is a decision.
		files: engineLoopFiles,
		rules: {
			'no-restricted-syntax': [
				'error',
				{selector: 'TSEnumDeclaration', message: 'Use an `as const` object instead of an enum.'},
				{
					selector: `:matches(BinaryExpression, LogicalExpression, UnaryExpression, IfStatement > .test, ConditionalExpression > .test, SwitchStatement > .discriminant) MemberExpression[property.name=${decisionFields}]`,
					message: 'source/engine decides nothing: ask the core (reducer or a pure function in source/core/).',
				},
			],
		},
	},
	{
		// core is pure: no I/O, no clock.
		files: ['source/core/**'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: [...uiModules, ...uiPaths, 'node:*', 'fs', 'http', 'undici', '**/probes/**', '**/engine/**'],
							message: 'source/core/ is pure: no UI, no I/O, no probes.',
						},
					],
				},
			],
			'no-restricted-properties': [
				'error',
				{object: 'Date', property: 'now', message: 'Inject the clock.'},
				{object: 'performance', property: 'now', message: 'Inject the clock.'},
			],
		},
	},
	{
		// widgets only render a snapshot.
		files: ['widgets/**'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{group: ['**/probes/**', '**/engine/**', '**/actions/**', '**/journal/**', 'undici', 'node:*'], message: 'widgets/ render snapshots only.'},
					],
				},
			],
		},
	},
);
