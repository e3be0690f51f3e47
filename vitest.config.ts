import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.{ts,tsx}'],
		testTimeout: 30_000,
		hookTimeout: 30_000,
		// Spawned-CLI and tmux tests share 2 cores with the probes they measure.
		maxWorkers: 2,
	},
});
