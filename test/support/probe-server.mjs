// A tiny stdio MCP server for what the npm servers do not show: a result carrying `_meta` and
// fields no schema knows, and whether a cancellation reached the server. Started with `--learning`
// it also offers `learn` and `unlearn`, which change its tool list and announce the change.
// `--tools-file FILE` adds a tool for each name in the JSON list in FILE, read at each listing:
// the same entry can offer other tools from one run to the next.
import {readFileSync} from 'node:fs';
import {Server} from '@modelcontextprotocol/sdk/server/index.js';
import {StdioServerTransport} from '@modelcontextprotocol/sdk/server/stdio.js';
import {CallToolRequestSchema, ListToolsRequestSchema} from '@modelcontextprotocol/sdk/types.js';

const server = new Server({name: 'probe', version: '1.0.0'}, {capabilities: {tools: {listChanged: true}}});
const learning = process.argv.includes('--learning');
const toolsFile = process.argv[process.argv.indexOf('--tools-file') + 1];
const fileTools = () => (process.argv.includes('--tools-file') ? JSON.parse(readFileSync(toolsFile, 'utf8')) : []);
/** Tools added by `learn`, by name: their descriptions. */
const learned = new Map();
/** Reasons of the cancellations received, in order. */
const cancellations = [];

const emptySchema = {type: 'object', properties: {}};
server.setRequestHandler(ListToolsRequestSchema, async () => ({
	tools: [
		{name: 'meta', description: 'Returns a result with _meta and an unknown field.', inputSchema: emptySchema},
		{name: 'wait', description: 'Reports progress 0, then waits until it is cancelled.', inputSchema: emptySchema},
		{name: 'cancellations', description: 'Lists the cancellations received.', inputSchema: emptySchema},
		...(learning
			? [
					{
						name: 'learn',
						description: 'Adds a tool with this name and description to the list.',
						inputSchema: {type: 'object', properties: {name: {type: 'string'}, description: {type: 'string'}}, required: ['name', 'description']},
					},
					{name: 'unlearn', description: 'Removes a tool learn added.', inputSchema: {type: 'object', properties: {name: {type: 'string'}}, required: ['name']}},
				]
			: []),
		...[...learned].map(([name, description]) => ({name, description, inputSchema: emptySchema})),
		...fileTools().map(name => ({name, description: `Answers with its name, ${name}.`, inputSchema: emptySchema})),
	],
}));

server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
	switch (request.params.name) {
		case 'meta': {
			return {content: [{type: 'text', text: 'with meta'}], _meta: {'probe/trace': 'abc-123'}, extraField: {kept: true}};
		}

		case 'wait': {
			const waiting = new Promise(resolve => {
				extra.signal.addEventListener('abort', () => {
					cancellations.push(String(extra.signal.reason ?? 'cancelled'));
					resolve();
				});
			});
			// Tells the caller the call has arrived, so it can cancel a call known to be running.
			const progressToken = request.params._meta?.progressToken;
			if (progressToken !== undefined) {
				await extra.sendNotification({method: 'notifications/progress', params: {progressToken, progress: 0, message: 'waiting'}});
			}

			await waiting;
			return {content: [{type: 'text', text: 'cancelled'}]};
		}

		case 'cancellations': {
			return {content: [{type: 'text', text: JSON.stringify(cancellations)}], structuredContent: {cancellations}};
		}

		case 'learn':
		case 'unlearn': {
			const {name, description} = request.params.arguments ?? {};
			if (request.params.name === 'learn') {
				learned.set(String(name), String(description));
			} else {
				learned.delete(String(name));
			}

			await server.sendToolListChanged();
			return {content: [{type: 'text', text: `${request.params.name}ed ${name}`}]};
		}

		default: {
			if (learned.has(request.params.name) || fileTools().includes(request.params.name)) {
				return {content: [{type: 'text', text: `called ${request.params.name}`}]};
			}

			return {content: [{type: 'text', text: `unknown tool ${request.params.name}`}], isError: true};
		}
	}
});

process.stdin.on('end', () => process.exit(0));
await server.connect(new StdioServerTransport());
