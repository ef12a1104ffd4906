import {lstatSync, mkdirSync} from 'node:fs';
import {tmpdir, userInfo} from 'node:os';
import {dirname, join} from 'node:path';

/**
 * The longest Unix socket path we use. macOS takes 103 bytes (sun_path is 104 with its NUL),
 * Linux 107; one limit for both means the tests on Linux take the path a Mac would take.
 */
export const MAX_SOCKET_PATH = 103;

/**
 * Where the daemon's socket lives: beside its other run files when that path fits, else in a
 * short owner-only directory (`shortSocketDir`). The path is never cut: a cut path could be
 * another daemon's. Pure: `ensureSocketDir` makes and checks the directory before listening.
 */
export function socketPath(runDir: string, name: string, env: NodeJS.ProcessEnv = process.env): string {
	const beside = join(runDir, `mcp-proxy-${name}.sock`);
	if (Buffer.byteLength(beside) <= MAX_SOCKET_PATH) {
		return beside;
	}

	return join(shortSocketDir(env), `${fnv1a(beside)}.sock`);
}

/**
 * `<temp dir>/mcp-tooling-<uid>`. The temp dir is per user on macOS (`/var/folders/…/T`); where it
 * is too deep itself, `/tmp`. The uid keeps users apart where the temp dir is shared.
 */
function shortSocketDir(env: NodeJS.ProcessEnv): string {
	const leaf = `mcp-tooling-${userInfo().uid}`;
	const temp = env.TMPDIR || tmpdir();
	// Room for the leaf, a separator and an 8-hex-digit name with `.sock`.
	const fits = Buffer.byteLength(join(temp, leaf)) + 15 <= MAX_SOCKET_PATH;
	return join(fits ? temp : '/tmp', leaf);
}

/**
 * Makes the directory of `socket` if it is a short one of ours, and refuses one that another
 * user could reach: it must be a real directory (not a symlink), owned by us, with mode 0700.
 */
export function ensureSocketDir(socket: string, runDir: string): void {
	const dir = dirname(socket);
	if (dir === runDir) {
		return;
	}

	mkdirSync(dir, {recursive: true, mode: 0o700});
	const stats = lstatSync(dir);
	const problem = !stats.isDirectory()
		? 'is not a directory (a symlink?)'
		: stats.uid !== userInfo().uid
			? `is owned by uid ${stats.uid}, not by you (uid ${userInfo().uid})`
			: (stats.mode & 0o077) !== 0
				? `has mode ${(stats.mode & 0o777).toString(8)}, not 700`
				: undefined;
	if (problem !== undefined) {
		throw new Error(
			`The daemon's socket directory ${dir} ${problem}; the run directory's path is too long for a Unix socket, ` +
				`so the socket goes there. Remove ${dir} (it is made again, owner-only) or set a shorter AITKIT_ROOT.`,
		);
	}
}

/** A short stable name for a path; not a security measure (the directory's checks are), so no crypto to load. */
function fnv1a(text: string): string {
	let hash = 0x81_1c_9d_c5;
	for (const byte of Buffer.from(text)) {
		hash = Math.imul(hash ^ byte, 0x01_00_01_93) >>> 0;
	}

	return hash.toString(16).padStart(8, '0');
}
