import type {Benchmark} from './lib/types.js';
export const throughput: Benchmark = {name: 'throughput', description: 'stub', run: async () => ({ok: true, files: []})};
