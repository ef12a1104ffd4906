import type {Client} from '@modelcontextprotocol/sdk/client/index.js';
import type {RequestOptions} from '@modelcontextprotocol/sdk/shared/protocol.js';
import {anyResult} from '../shared/any-result.js';

/** Every item of a paginated list method (`tools/list`, `prompts/list`, …), page after page, as the server sent them. */
export async function listAll<T>(client: Client, method: string, key: string, options?: RequestOptions): Promise<T[]> {
	const items: T[] = [];
	let cursor: string | undefined;
	do {
		const page = await client.request({method, params: cursor ? {cursor} : {}}, anyResult, options);
		items.push(...((page[key] as T[] | undefined) ?? []));
		cursor = typeof page.nextCursor === 'string' ? page.nextCursor : undefined;
	} while (cursor);
	return items;
}
