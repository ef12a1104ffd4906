import type {Tool} from '@modelcontextprotocol/sdk/types.js';
import {READ_OUTPUT_TOOL} from './read-output.js';

export const RETRIEVE_TOOLS = 'retrieve_tools';
export const CALL_TOOL = 'call_tool';

/** The proxy's own tools; their names are reserved, no server's tool may take them. */
export const PROXY_TOOL_NAMES = [RETRIEVE_TOOLS, CALL_TOOL, READ_OUTPUT_TOOL] as const;

/** A server behind the proxy, as `retrieve_tools` names it to the model. */
export type ServerSummary = {readonly name: string; readonly tools: number; readonly description: string | undefined};

/**
 * The model sees none of the tools until it searches, so the description names the servers (what
 * there is to find) and says that matching is by words (how to ask).
 */
export const retrieveToolsTool = (dynamic: boolean, servers: readonly ServerSummary[]): Tool => ({
	name: RETRIEVE_TOOLS,
	description:
		'Find tools for a task among the tools of the MCP servers behind this proxy' +
		`${servers.length > 0 ? `: ${servers.map(server => describeServer(server)).join(', ')}` : ''}. ` +
		"Say what you want to do, naming the action and what it acts on in words a tool's name or description would use " +
		'("geocode an address", "list a directory"): matching is by words, not meaning, so if nothing fits, try other words. ' +
		'The best matches come first, each with its name, server, description and input schema. ' +
		(dynamic ? 'The matches are also added to your tool list, so you can call them directly. ' : '') +
		`Call a match with ${CALL_TOOL} {name, args}.`,
	inputSchema: {
		type: 'object',
		properties: {
			query: {
				type: 'string',
				description: 'What you want to do, e.g. "read a file from disk" or "create a GitHub issue".',
			},
			limit: {type: 'integer', minimum: 1, maximum: 50, description: 'How many matches to return (default 10).'},
		},
		required: ['query'],
	},
	annotations: {title: 'Find tools', readOnlyHint: true, openWorldHint: false},
});

export const callToolTool: Tool = {
	name: CALL_TOOL,
	description: `Call a tool found with ${RETRIEVE_TOOLS}: give its name exactly as listed there and its arguments.`,
	inputSchema: {
		type: 'object',
		properties: {
			name: {type: 'string', description: `The tool's name, as ${RETRIEVE_TOOLS} listed it.`},
			args: {
				type: 'object',
				description: "The tool's arguments, matching its input schema.",
				additionalProperties: true,
			},
		},
		required: ['name'],
	},
};

/** A server as the model is told of it: its entry's description says what it is for, where the tool count cannot. */
function describeServer(server: ServerSummary): string {
	return `${server.name} (${server.tools} tools${server.description ? `: ${server.description.trim()}` : ''})`;
}
