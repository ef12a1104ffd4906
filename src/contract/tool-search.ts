import {TOOL_SEARCH_PATH} from './endpoint.js';

/** One answer of GET `/tools/search`: a shared server's tool, as `retrieve_tools` ranks it. */
export type ToolSearchMatch = {name: string; server: string; score: number; description: string};

export type ToolSearch = {query: string; limit: number};

const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 100;

export function toolSearchPath(search: ToolSearch): string {
	return `${TOOL_SEARCH_PATH}?q=${encodeURIComponent(search.query)}&limit=${search.limit}`;
}

/** The search a request URL asks for; a limit that is not a positive integer is the default. */
export function readToolSearch(url: string): ToolSearch {
	const params = new URL(url, 'http://127.0.0.1').searchParams;
	const limit = Number(params.get('limit') ?? DEFAULT_LIMIT);
	return {
		query: params.get('q') ?? '',
		limit: Number.isInteger(limit) && limit > 0 ? Math.min(limit, MAX_LIMIT) : DEFAULT_LIMIT,
	};
}
