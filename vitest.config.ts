import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.{ts,tsx}'],
		testTimeout: 30_000,
		hookTimeout: 30_000,
		// Spawned-CLI and tmux tests share 2 cores with the probes they measure.
		maxWorkers: 2,
		// Ink stops redrawing when it believes it runs in CI (is-in-ci reads CI at import); the
		// console tests drive real frames, so they run as in a terminal. .ci/run says what CI
		// requires with GOLIVE_REQUIRE_TMUX instead.
		env: {CI: '0'},
	},
});
