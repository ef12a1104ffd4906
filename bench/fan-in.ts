import type {Benchmark} from './lib/types.js';
export const fanIn: Benchmark = {name: 'fan-in', description: 'stub', run: async () => ({ok: true, files: []})};
