// A stdio MCP server that misbehaves on request, written on bare JSON lines (no SDK) so it can
// send what no SDK would: a line of many MiB without a newline, a flood of log notifications,
// valid JSON of the wrong shape, binary garbage. Each misdeed is a tool; `echo` behaves.
import {randomBytes} from 'node:crypto';

const emptySchema = {type: 'object', properties: {}};
const TOOLS = [
	{name: 'echo', description: 'Answers with its text.', inputSchema: {type: 'object', properties: {text: {type: 'string'}}}},
	{
		name: 'huge_line',
		description: 'Writes MiB mebibytes to stdout without a newline, and never answers.',
		inputSchema: {type: 'object', properties: {mib: {type: 'number'}}},
	},
	{
		name: 'flood',
		description: 'Sends log notifications as fast as stdout takes them for SECONDS, then answers with how many.',
		inputSchema: {type: 'object', properties: {seconds: {type: 'number'}}},
	},
	{name: 'wrong_shapes', description: 'Sends a reply to an unknown id and a notification with params null, then answers with a string result.', inputSchema: emptySchema},
	{name: 'garbage', description: 'Writes binary garbage to stdout, then answers properly.', inputSchema: emptySchema},
	{name: 'pid', description: 'Answers with its process id.', inputSchema: emptySchema},
];

async function write(text) {
	if (!process.stdout.write(text)) {
		await new Promise(resolve => process.stdout.once('drain', resolve));
	}
}

const send = async message => write(`${JSON.stringify(message)}\n`);
const text = (id, value) => send({jsonrpc: '2.0', id, result: {content: [{type: 'text', text: value}]}});

async function hugeLine(mib) {
	const chunk = 'x'.repeat(1024 * 1024);
	await write('{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"');
	for (let index = 0; index < mib; index++) {
		await write(chunk);
	}
}

async function flood(id, seconds) {
	const end = Date.now() + seconds * 1000;
	let sent = 0;
	while (Date.now() < end) {
		let batch = '';
		for (let index = 0; index < 100; index++) {
			batch += `${JSON.stringify({jsonrpc: '2.0', method: 'notifications/message', params: {level: 'info', data: `flood ${sent++}`}})}\n`;
		}

		await write(batch);
	}

	await text(id, `flooded ${sent}`);
}

async function call(id, name, args) {
	switch (name) {
		case 'echo':
			return text(id, `Echo: ${args.text}`);
		case 'pid':
			return text(id, String(process.pid));
		case 'huge_line':
			return hugeLine(args.mib ?? 300);
		case 'flood':
			return flood(id, args.seconds ?? 5);
		case 'wrong_shapes':
			await send({jsonrpc: '2.0', id: 'nobody-asked', result: {}});
			await send({jsonrpc: '2.0', method: 'notifications/message', params: null});
			return send({jsonrpc: '2.0', id, result: 'a string, not an object'});
		case 'garbage': {
			const bytes = randomBytes(256 * 1024);
			await write(bytes);
			await write('\n\u0000\u00ff not json at all\n');
			return text(id, 'after garbage');
		}
		default:
			return send({jsonrpc: '2.0', id, error: {code: -32_602, message: `unknown tool ${name}`}});
	}
}

let buffered = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', chunk => {
	buffered += chunk;
	let newline = buffered.indexOf('\n');
	while (newline !== -1) {
		const line = buffered.slice(0, newline);
		buffered = buffered.slice(newline + 1);
		newline = buffered.indexOf('\n');
		if (line.trim() === '') continue;
		const message = JSON.parse(line);
		if (message.id === undefined) continue;
		switch (message.method) {
			case 'initialize':
				void send({
					jsonrpc: '2.0',
					id: message.id,
					result: {protocolVersion: message.params.protocolVersion, capabilities: {tools: {}, logging: {}}, serverInfo: {name: 'misbehaving', version: '1.0.0'}},
				});
				break;
			case 'tools/list':
				void send({jsonrpc: '2.0', id: message.id, result: {tools: TOOLS}});
				break;
			case 'tools/call':
				void call(message.id, message.params.name, message.params.arguments ?? {});
				break;
			default:
				void send({jsonrpc: '2.0', id: message.id, result: {}});
		}
	}
});
