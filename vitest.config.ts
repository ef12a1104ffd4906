import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.ts'],
		testTimeout: 60_000,
		hookTimeout: 60_000,
		// Tests start real daemons and servers as processes; two cores do not take more at once.
		maxConcurrency: 2,
		fileParallelism: true,
		poolOptions: {forks: {maxForks: 2, minForks: 1}},
		pool: 'forks',
	},
});
