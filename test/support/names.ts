import type {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {ListToolsResultSchema, type Tool} from '@modelcontextprotocol/sdk/types.js';

/** Every tool a session sees, following `nextCursor` page by page. */
export async function listAllTools(client: Client): Promise<Tool[]> {
	const tools: Tool[] = [];
	let cursor: string | undefined;
	do {
		const page = await client.request({method: 'tools/list', params: cursor ? {cursor} : {}}, ListToolsResultSchema);
		tools.push(...page.tools);
		cursor = page.nextCursor;
	} while (cursor);
	return tools;
}

/**
 * The name a session sees for a server's tool: `server__tool`, or with the server part shortened
 * when that is too long for Claude's limit (`eve__trigger-long-running-operation`).
 */
export function exposedToolName(tools: readonly Tool[], server: string, original: string): string {
	const suffix = `__${original}`;
	const match = tools.find(tool => tool.name.endsWith(suffix) && server.startsWith(tool.name.slice(0, -suffix.length)));
	if (!match) {
		throw new Error(`no exposed tool for ${server}'s ${original} among ${tools.map(tool => tool.name).join(', ')}`);
	}

	return match.name;
}
