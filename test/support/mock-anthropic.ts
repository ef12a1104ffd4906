import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';

/** The parts of a Messages API request the tests look at. */
export type MessagesRequest = {
	model: string;
	stream?: boolean;
	system?: unknown;
	tools?: Array<{name: string; description?: string}>;
	messages: Array<{role: 'user' | 'assistant'; content: string | Array<Record<string, unknown>>}>;
};

export type Reply = {text: string} | {toolUse: {name: string; input: Record<string, unknown>}};

/** Decides the model's answer to a request; the default says "ok". */
export type Script = (request: MessagesRequest) => Reply | Promise<Reply>;

let nextId = 0;

function events(reply: Reply, model: string): Array<[string, unknown]> {
	const id = `msg_mock_${++nextId}`;
	const usage = {input_tokens: 10, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0};
	const start: [string, unknown] = [
		'message_start',
		{
			type: 'message_start',
			message: {
				id,
				type: 'message',
				role: 'assistant',
				model,
				content: [],
				stop_reason: null,
				stop_sequence: null,
				usage,
			},
		},
	];
	const block =
		'text' in reply
			? [
					['content_block_start', {type: 'content_block_start', index: 0, content_block: {type: 'text', text: ''}}],
					['content_block_delta', {type: 'content_block_delta', index: 0, delta: {type: 'text_delta', text: reply.text}}],
				]
			: [
					[
						'content_block_start',
						{
							type: 'content_block_start',
							index: 0,
							content_block: {type: 'tool_use', id: `toolu_mock_${nextId}`, name: reply.toolUse.name, input: {}},
						},
					],
					[
						'content_block_delta',
						{
							type: 'content_block_delta',
							index: 0,
							delta: {type: 'input_json_delta', partial_json: JSON.stringify(reply.toolUse.input)},
						},
					],
				];
	return [
		start,
		...(block as Array<[string, unknown]>),
		['content_block_stop', {type: 'content_block_stop', index: 0}],
		[
			'message_delta',
			{
				type: 'message_delta',
				delta: {stop_reason: 'text' in reply ? 'end_turn' : 'tool_use', stop_sequence: null},
				usage: {output_tokens: 5},
			},
		],
		['message_stop', {type: 'message_stop'}],
	];
}

function asMessage(reply: Reply, model: string): unknown {
	const content =
		'text' in reply
			? [{type: 'text', text: reply.text}]
			: [{type: 'tool_use', id: `toolu_mock_${++nextId}`, name: reply.toolUse.name, input: reply.toolUse.input}];
	return {
		id: `msg_mock_${++nextId}`,
		type: 'message',
		role: 'assistant',
		model,
		content,
		stop_reason: 'text' in reply ? 'end_turn' : 'tool_use',
		stop_sequence: null,
		usage: {input_tokens: 10, output_tokens: 5},
	};
}

/**
 * A small stand-in for the Anthropic Messages API on 127.0.0.1, enough for Claude Code to run
 * headless: streamed and plain messages, token counting. Every request is kept for assertions.
 */
export class MockAnthropic {
	readonly requests: MessagesRequest[] = [];
	private server?: Server;

	constructor(public script: Script = () => ({text: 'ok'})) {}

	get url(): string {
		return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
	}

	async start(): Promise<this> {
		this.server = createServer((request, response) => {
			void this.handle(request, response);
		});
		await new Promise<void>(resolve => this.server!.listen(0, '127.0.0.1', resolve));
		return this;
	}

	async stop(): Promise<void> {
		this.server?.closeAllConnections();
		await new Promise(resolve => this.server?.close(resolve));
	}

	private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
		let body = '';
		for await (const chunk of request) {
			body += String(chunk);
		}

		const path = (request.url ?? '').split('?')[0];
		if (request.method === 'POST' && path === '/v1/messages/count_tokens') {
			response.writeHead(200, {'content-type': 'application/json'}).end(JSON.stringify({input_tokens: 100}));
			return;
		}

		if (request.method !== 'POST' || path !== '/v1/messages') {
			response
				.writeHead(404, {'content-type': 'application/json'})
				.end(JSON.stringify({type: 'error', error: {type: 'not_found_error', message: 'not found'}}));
			return;
		}

		const parsed = JSON.parse(body) as MessagesRequest;
		this.requests.push(parsed);
		const reply = await this.script(parsed);
		if (!parsed.stream) {
			response.writeHead(200, {'content-type': 'application/json'}).end(JSON.stringify(asMessage(reply, parsed.model)));
			return;
		}

		response.writeHead(200, {'content-type': 'text/event-stream', 'cache-control': 'no-cache'});
		for (const [event, data] of events(reply, parsed.model)) {
			response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
		}

		response.end();
	}
}

/** The text of every tool result the model was sent back, across all requests. */
export function toolResults(requests: readonly MessagesRequest[]): string[] {
	return requests.flatMap(request =>
		request.messages.flatMap(message =>
			typeof message.content === 'string'
				? []
				: message.content
						.filter(block => block.type === 'tool_result')
						.map(block => (typeof block.content === 'string' ? block.content : JSON.stringify(block.content))),
		),
	);
}

/** Whether the conversation's last message hands back a tool result. */
export function answersTool(request: MessagesRequest): boolean {
	const last = request.messages.at(-1);
	return last !== undefined && typeof last.content !== 'string' && last.content.some(block => block.type === 'tool_result');
}

/** Everything the model was shown in a request, as one string, for `toContain` checks. */
export function shownToModel(request: MessagesRequest): string {
	return JSON.stringify([request.system, request.messages]);
}
