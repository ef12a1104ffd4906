import {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {StreamableHTTPClientTransport} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type {ClientCapabilities} from '@modelcontextprotocol/sdk/types.js';
import {CLIENT_HEADERS} from '../../src/daemon/client-headers.js';
import type {DaemonState} from '../../src/daemon/state.js';

/**
 * A real SDK client as a session of the daemon. `projectDir` makes it say, as a bridge does,
 * which project it works in.
 */
export async function connect(state: DaemonState, token: string, capabilities: ClientCapabilities = {}, name = 'test-client', projectDir?: string): Promise<Client> {
	const client = new Client({name, version: '1.0.0'}, {capabilities});
	const headers: Record<string, string> = {authorization: `Bearer ${token}`, ...(projectDir && {[CLIENT_HEADERS.projectDir]: encodeURIComponent(projectDir)})};
	const transport = new StreamableHTTPClientTransport(new URL(state.url), {requestInit: {headers}});
	await client.connect(transport);
	return client;
}
