import {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {StreamableHTTPClientTransport} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {StdioClientTransport} from '@modelcontextprotocol/sdk/client/stdio.js';
import type {ClientCapabilities, Tool} from '@modelcontextprotocol/sdk/types.js';
import {CLIENT_HEADERS} from '../../src/contract/endpoint.js';
import type {DaemonState} from '../../src/contract/state-file.js';

/**
 * A real SDK client as a session of the daemon. `projectDir` makes it say, as a bridge does,
 * which project it works in.
 */
export async function connect(
	state: DaemonState,
	token: string,
	capabilities: ClientCapabilities = {},
	name = 'test-client',
	projectDir?: string,
): Promise<Client> {
	const client = new Client({name, version: '1.0.0'}, {capabilities});
	const headers: Record<string, string> = {
		authorization: `Bearer ${token}`,
		...(projectDir && {[CLIENT_HEADERS.projectDir]: encodeURIComponent(projectDir)}),
	};
	const transport = new StreamableHTTPClientTransport(new URL(state.url), {requestInit: {headers}});
	await client.connect(transport);
	return client;
}

/** What the daemon declares to its upstreams, so a direct client sees what the daemon sees. */
export const UPSTREAM_CAPABILITIES: ClientCapabilities = {
	sampling: {},
	elicitation: {form: {}, url: {}},
	roots: {listChanged: true},
};

export type ServerCommand = {command: string; args: string[]; env?: Record<string, string>};

/** A real SDK client straight to a server over stdio, as the daemon is to its upstreams. */
export async function directClient(spec: ServerCommand): Promise<Client> {
	const client = new Client({name: 'direct', version: '1.0.0'}, {capabilities: UPSTREAM_CAPABILITIES});
	await client.connect(new StdioClientTransport({...spec, stderr: 'ignore'}));
	return client;
}

/** The tools a server lists to a direct client. */
export async function listDirect(spec: ServerCommand): Promise<Tool[]> {
	const client = await directClient(spec);
	try {
		return (await client.listTools()).tools;
	} finally {
		await client.close();
	}
}
