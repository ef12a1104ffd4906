import {createHash} from 'node:crypto';
import {mkdirSync, readdirSync} from 'node:fs';
import {join} from 'node:path';
import {
	ImplementationSchema,
	PromptSchema,
	ResourceSchema,
	ResourceTemplateSchema,
	ServerCapabilitiesSchema,
	ToolSchema,
} from '@modelcontextprotocol/sdk/types.js';
import {z} from 'zod';
import type {ServerSpec} from '../config/schema.js';
import {unlinkIfExists, writeFileAtomic} from '../shared/atomic-file.js';
import type {Logger} from '../shared/log.js';
import {recordIn} from '../shared/record-file.js';
import {readTextIfExists} from '../shared/text-file.js';
import {rootOf, type Placement} from './placement.js';
import type {Catalog} from './upstream.js';

/** What a session needs to see a server without it running: its initialize result and its lists. */
export type Learned = {
	readonly capabilities: z.infer<typeof ServerCapabilitiesSchema>;
	readonly instructions: string | undefined;
	readonly serverInfo: z.infer<typeof ImplementationSchema> | undefined;
	readonly catalog: Catalog;
};

/** A learned catalog as read back, with when it was learned. */
export type StoredCatalog = Learned & {readonly savedAt: number};

const VERSION = 1;

/** The envelope is ours; what the server said is checked with the SDK's own schemas: one bad item and the file is not trusted. */
const fileSchema = z.object({
	version: z.literal(VERSION),
	server: z.string(),
	key: z.string(),
	savedAt: z.number(),
	capabilities: ServerCapabilitiesSchema,
	instructions: z.string().optional(),
	serverInfo: ImplementationSchema.optional(),
	tools: z.array(ToolSchema),
	prompts: z.array(PromptSchema),
	resources: z.array(ResourceSchema),
	resourceTemplates: z.array(ResourceTemplateSchema),
});

/**
 * Catalogs of servers as they last listed, on disk and owner-only, so that a server can be
 * offered before (or without) starting it. A file belongs to one instance of one entry: its name
 * carries a hash of all that makes the instance what it is (the resolved command, args, env and
 * cwd, or URL and headers, and the project root), so a changed entry or another project never
 * reads it, and no secret of the entry is written in clear.
 */
export class CatalogStore {
	constructor(
		private readonly dir: string,
		private readonly maxBytes: number,
		private readonly log: Logger,
	) {}

	load(spec: ServerSpec, placement: Placement): StoredCatalog | undefined {
		const key = catalogKey(spec, placement);
		const file = this.file(spec.name, key);
		let text: string | undefined;
		try {
			text = readTextIfExists(file, this.maxBytes);
		} catch (error) {
			this.log.warn('catalog not readable, ignored; the server starts to list again', {server: spec.name, file, error: String(error)});
			return undefined;
		}

		if (text === undefined) {
			return undefined;
		}

		const stored = parseStored(text, spec.name, key);
		if (!stored) {
			this.log.warn('catalog file corrupt, ignored; the server starts to list again', {server: spec.name, file});
		}

		return stored;
	}

	save(spec: ServerSpec, placement: Placement, learned: Learned): void {
		const key = catalogKey(spec, placement);
		const {catalog, ...initialize} = learned;
		const file = {version: VERSION, server: spec.name, key, savedAt: Date.now(), ...initialize, ...catalog};
		try {
			mkdirSync(this.dir, {recursive: true, mode: 0o700});
			writeFileAtomic(this.file(spec.name, key), `${JSON.stringify(file)}\n`);
		} catch (error) {
			// Without a catalog the server only starts at once next time, as it would have anyway.
			this.log.warn('catalog not saved', {server: spec.name, error: String(error)});
		}
	}

	/** Drops the catalogs of the servers `which` picks (each of every project); returns how many. */
	forget(which: (server: string) => boolean): number {
		return forgetCatalogs(this.dir, which);
	}

	private file(server: string, key: string): string {
		return join(this.dir, `${server}.${key}.json`);
	}
}

/** Drops the catalogs in `dir` of the servers `which` picks; returns how many. */
export function forgetCatalogs(dir: string, which: (server: string) => boolean): number {
	let names: string[];
	try {
		names = readdirSync(dir);
	} catch {
		return 0;
	}

	const chosen = names.filter(name => {
		const server = serverOfFile(name);
		return server !== undefined && which(server);
	});
	return chosen.filter(name => unlinkIfExists(join(dir, name))).length;
}

/** What makes an instance what it is, hashed. */
function catalogKey(spec: ServerSpec, placement: Placement): string {
	const identity = JSON.stringify({transport: spec.transport, root: rootOf(placement) ?? null});
	return createHash('sha256').update(identity).digest('hex').slice(0, 32);
}

/** The server a catalog file is of (names may hold dots, so the key is taken off the end). */
function serverOfFile(name: string): string | undefined {
	return /^(.+)\.[0-9a-f]{32}\.json$/.exec(name)?.[1];
}

function parseStored(text: string, server: string, key: string): StoredCatalog | undefined {
	const file = fileSchema.safeParse(recordIn(text));
	if (!file.success || file.data.server !== server || file.data.key !== key) {
		return undefined;
	}

	const {savedAt, capabilities, instructions, serverInfo, tools, prompts, resources, resourceTemplates} = file.data;
	return {savedAt, capabilities, instructions, serverInfo, catalog: {tools, prompts, resources, resourceTemplates}};
}
