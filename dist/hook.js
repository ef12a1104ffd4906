#!/usr/bin/env node
import {createRequire as __createRequire} from 'node:module';
const require = __createRequire(import.meta.url);

// src/config/paths.ts
import { homedir } from "os";
import { join as join2 } from "path";

// src/platform/socket-path.ts
import { lstatSync, mkdirSync } from "fs";
import { tmpdir, userInfo } from "os";
import { dirname, join } from "path";
var MAX_SOCKET_PATH = 103;
function socketPath(runDir, name2, env = process.env) {
  const beside = join(runDir, `mcp-proxy-${name2}.sock`);
  if (Buffer.byteLength(beside) <= MAX_SOCKET_PATH) {
    return beside;
  }
  return join(shortSocketDir(env), `${fnv1a(beside)}.sock`);
}
function shortSocketDir(env) {
  const leaf = `mcp-tooling-${userInfo().uid}`;
  const temp = env.TMPDIR || tmpdir();
  const fits = Buffer.byteLength(join(temp, leaf)) + 15 <= MAX_SOCKET_PATH;
  return join(fits ? temp : "/tmp", leaf);
}
function fnv1a(text) {
  let hash = 2166136261;
  for (const byte of Buffer.from(text)) {
    hash = Math.imul(hash ^ byte, 16777619) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

// src/config/paths.ts
var DEFAULT_DAEMON_NAME = "mcp-user";
function resolvePaths(name2 = DEFAULT_DAEMON_NAME, env = process.env) {
  const root = env.AITKIT_ROOT || join2(homedir(), ".aitkit");
  const runDir = join2(root, "run");
  const dataDir = env.MCPPROXY_DATA_DIR || join2(root, "lib", "mcpproxy");
  return {
    root,
    runDir,
    registrationsDir: join2(runDir, "mcp-servers", name2),
    pidFile: join2(runDir, `mcp-proxy-${name2}.pid`),
    stateFile: join2(runDir, `mcp-proxy-${name2}.json`),
    tokenFile: join2(runDir, `mcp-proxy-${name2}.token`),
    lockFile: join2(runDir, `mcp-proxy-${name2}.lock`),
    socketFile: socketPath(runDir, name2, env),
    dataDir,
    configFile: env.MCPPROXY_CONFIG_PATH || join2(dataDir, "mcp_proxy_config.json"),
    logFile: join2(dataDir, "mcp-proxy.log"),
    serverLogDir: join2(dataDir, "servers")
  };
}

// src/lifecycle/registrations.ts
import { createHash } from "crypto";
import { readdirSync as readdirSync2, statSync as statSync2 } from "fs";
import { join as join3 } from "path";

// src/shared/atomic-file.ts
import { closeSync as closeSync2, fchmodSync, fsyncSync, linkSync, mkdirSync as mkdirSync2, openSync as openSync2, renameSync, statSync, unlinkSync, writeSync } from "fs";
import { dirname as dirname2 } from "path";

// src/shared/real-path.ts
import { realpathSync } from "fs";
function realpathOrSelf(path) {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

// src/shared/text-file.ts
import { closeSync, fstatSync, openSync, readFileSync } from "fs";
var MAX_FILE_BYTES = 64 * 1024 * 1024;
function errorCode(error) {
  return error?.code;
}
var FileTooLargeError = class extends Error {
  name = "FileTooLargeError";
  code = "EFBIG";
  constructor(path, size, limit) {
    super(`EFBIG: ${path} is ${size} bytes, more than the ${limit} it may have`);
  }
};
function readTextIfExists(path, maxBytes = MAX_FILE_BYTES) {
  let fd;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    if (errorCode(error) === "ENOENT") return void 0;
    throw error;
  }
  try {
    const { size } = fstatSync(fd);
    if (size > maxBytes) throw new FileTooLargeError(path, size, maxBytes);
    return readFileSync(fd, "utf8");
  } finally {
    closeSync(fd);
  }
}

// src/shared/unique-suffix.ts
var counter = 0;
function uniqueSuffix() {
  return `${process.pid}.${process.hrtime.bigint().toString(36)}.${(counter++).toString(36)}`;
}

// src/shared/atomic-file.ts
var FILE_MODE = 384;
var DIR_MODE = 448;
var TMP_SUFFIX = ".tmp";
function tmpPathFor(path) {
  return `${path}.${uniqueSuffix()}${TMP_SUFFIX}`;
}
function writeTmp(path, text, mode) {
  mkdirSync2(dirname2(path), { recursive: true, mode: DIR_MODE });
  const tmp = tmpPathFor(path);
  const fd = openSync2(tmp, "wx", FILE_MODE);
  try {
    writeSync(fd, text);
    fchmodSync(fd, mode);
    fsyncSync(fd);
  } catch (error) {
    closeSync2(fd);
    unlinkIfExists(tmp);
    throw error;
  }
  closeSync2(fd);
  return tmp;
}
function existingMode(path) {
  try {
    return statSync(path).mode & 4095;
  } catch {
    return void 0;
  }
}
function unlinkIfExists(path) {
  try {
    unlinkSync(path);
    return true;
  } catch (error) {
    if (errorCode(error) === "ENOENT") return false;
    throw error;
  }
}
function writeFileAtomic(path, text, { preserve = false, mode = FILE_MODE } = {}) {
  const target = preserve ? realpathOrSelf(path) : path;
  const tmp = writeTmp(target, text, (preserve ? existingMode(target) : void 0) ?? mode);
  try {
    renameSync(tmp, target);
  } catch (error) {
    unlinkIfExists(tmp);
    throw error;
  }
}
function createExclusive(path, text) {
  const tmp = writeTmp(path, text, FILE_MODE);
  try {
    linkSync(tmp, path);
    return true;
  } catch (error) {
    if (errorCode(error) === "EEXIST") return false;
    throw error;
  } finally {
    unlinkIfExists(tmp);
  }
}
function removeIfUnchanged(path, expected) {
  const aside = tmpPathFor(path);
  try {
    renameSync(path, aside);
  } catch (error) {
    if (errorCode(error) === "ENOENT") return false;
    throw error;
  }
  try {
    const moved = readTextIfExists(aside);
    if (moved === void 0) return false;
    if (moved === expected) return true;
    try {
      linkSync(aside, path);
    } catch (error) {
      if (errorCode(error) !== "EEXIST") throw error;
    }
    return false;
  } finally {
    unlinkIfExists(aside);
  }
}

// src/platform/linux-backend.ts
import { readdirSync, readFileSync as readFileSync2, readlinkSync } from "fs";
function readText(path) {
  try {
    return readFileSync2(path, "utf8");
  } catch {
    return void 0;
  }
}
function parseStat(text) {
  const close = text.lastIndexOf(")");
  if (close < 0) {
    return void 0;
  }
  const fields = text.slice(close + 1).trim().split(" ");
  const [state, ppid, pgid] = fields;
  const startTime = fields[22 - 3];
  if (state === void 0 || startTime === void 0 || !/^\d+$/.test(startTime) || !/^\d+$/.test(ppid ?? "") || !/^\d+$/.test(pgid ?? "")) {
    return void 0;
  }
  return { state, ppid: Number(ppid), pgid: Number(pgid), startTime };
}
function kilobytes(text, field) {
  const match = text === void 0 ? null : new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text);
  return match ? Number(match[1]) * 1024 : void 0;
}
function readRow(pid) {
  const text = readText(`/proc/${pid}/stat`);
  const stat = text === void 0 ? void 0 : parseStat(text);
  if (stat === void 0) {
    return void 0;
  }
  return {
    pid,
    ppid: stat.ppid,
    pgid: stat.pgid,
    // Zombie ('Z') and dead ('X') processes have exited; only their table entry remains.
    exited: stat.state === "Z" || stat.state === "X",
    startTime: stat.startTime,
    rss: kilobytes(readText(`/proc/${pid}/status`), "VmRSS") ?? 0,
    command: (readText(`/proc/${pid}/cmdline`) ?? "").split("\0").filter(Boolean).join(" ")
  };
}
function allPids() {
  try {
    return readdirSync("/proc").filter((entry) => /^\d+$/.test(entry)).map(Number);
  } catch {
    return [];
  }
}
function listeningInodes(port) {
  const inodes = /* @__PURE__ */ new Set();
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const line of (readText(table) ?? "").split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[1]?.endsWith(`:${hexPort}`) && fields[3] === "0A" && fields[9] !== void 0) {
        inodes.add(`socket:[${fields[9]}]`);
      }
    }
  }
  return inodes;
}
function socketHolders(sockets) {
  const holders = [];
  for (const pid of sockets.size === 0 ? [] : allPids()) {
    let fds;
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (sockets.has(readlinkSync(`/proc/${pid}/fd/${fd}`))) {
          holders.push(pid);
          break;
        }
      } catch {
      }
    }
  }
  return holders;
}
var linuxBackend = {
  name: "proc",
  read(pids) {
    const rows = /* @__PURE__ */ new Map();
    for (const pid of pids) {
      const row = readRow(pid);
      if (row !== void 0) {
        rows.set(pid, row);
      }
    }
    return rows;
  },
  all() {
    return allPids().flatMap((pid) => readRow(pid) ?? []);
  },
  pss(pid) {
    return kilobytes(readText(`/proc/${pid}/smaps_rollup`), "Pss");
  },
  listeners(port) {
    return socketHolders(listeningInodes(port));
  },
  quickCheck(identity) {
    const text = readText(`/proc/${identity.pid}/stat`);
    const stat = text === void 0 ? void 0 : parseStat(text);
    return stat !== void 0 && stat.state !== "Z" && stat.state !== "X" && stat.startTime === identity.startTime;
  }
};

// src/platform/portable-backend.ts
import { spawnSync } from "child_process";
var PORTABLE_PREFIX = "ps:";
var PS_FORMAT = "pid=,ppid=,pgid=,stat=,lstart=,rss=,command=";
var STABLE_OUTPUT = { LC_ALL: "C", LANG: "C", TZ: "UTC" };
var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
var ROW = new RegExp(
  String.raw`^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+[A-Z][a-z]{2}\s+([A-Z][a-z]{2})\s+` + String.raw`(\d{1,2})\s+(\d{1,2}):(\d{2}):(\d{2})\s+(\d{4})\s+(\d+)(?:\s(.*))?$`
);
function isoStart(month, day, hour, minute, second, year) {
  const monthIndex = MONTHS.indexOf(month);
  if (monthIndex < 0) {
    return void 0;
  }
  const time = Date.UTC(Number(year), monthIndex, Number(day), Number(hour), Number(minute), Number(second));
  return Number.isNaN(time) ? void 0 : new Date(time).toISOString().replace(".000Z", "Z");
}
function parsePsOutput(text) {
  const rows = [];
  for (const line of text.split("\n")) {
    const match = ROW.exec(line.trimEnd());
    if (match === null) {
      continue;
    }
    const [, pid, ppid, pgid, stat, month, day, hour, minute, second, year, rss, command = ""] = match;
    const started = isoStart(month, day, hour, minute, second, year);
    if (started === void 0) {
      continue;
    }
    rows.push({
      pid: Number(pid),
      ppid: Number(ppid),
      pgid: Number(pgid),
      // Z: a zombie, on both systems (procps also shows X for dead).
      exited: stat.startsWith("Z") || stat.startsWith("X"),
      startTime: `${PORTABLE_PREFIX}${started} ${command.trim()}`,
      rss: Number(rss) * 1024,
      command: command.trim()
    });
  }
  return rows;
}
function parseLsofPids(text) {
  const pids = /* @__PURE__ */ new Set();
  for (const line of text.split("\n")) {
    const match = /^p(\d+)$/.exec(line.trim());
    if (match) {
      pids.add(Number(match[1]));
    }
  }
  return [...pids];
}
function run(command, args, optional = false) {
  const result = spawnSync(command, args, {
    encoding: "utf8",
    env: { ...process.env, ...STABLE_OUTPUT },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 1e4
  });
  if (result.error) {
    if (optional) {
      return "";
    }
    throw new Error(
      `mcp-tooling reads processes with \`${command}\`, which could not run (${result.error.message}); it is part of every macOS and Linux system: check PATH`
    );
  }
  return result.stdout;
}
var portableBackend = {
  name: "portable",
  read(pids) {
    const rows = parsePsOutput(run("ps", ["-ww", "-o", PS_FORMAT, "-p", pids.join(",")]));
    const wanted = new Set(pids);
    return new Map(rows.filter((row) => wanted.has(row.pid)).map((row) => [row.pid, row]));
  },
  all() {
    return parsePsOutput(run("ps", ["-A", "-ww", "-o", PS_FORMAT]));
  },
  pss() {
    return void 0;
  },
  listeners(port) {
    const args = ["-nP", `-iTCP:${port}`, "-sTCP:LISTEN", "-Fp"];
    return parseLsofPids(run("lsof", args, true) || run("/usr/sbin/lsof", args, true));
  },
  quickCheck(identity) {
    return signalZero(identity.pid);
  }
};

// src/platform/os-processes.ts
function processTableName(env = process.env) {
  const chosen = env.MCPPROXY_PROCESS_TABLE;
  if (chosen === "proc" || chosen === "portable") {
    return chosen;
  }
  return process.platform === "linux" ? "proc" : "portable";
}
function backend() {
  return processTableName() === "proc" ? linuxBackend : portableBackend;
}
function backendOf(identity) {
  const portable = identity.startTime.startsWith(PORTABLE_PREFIX);
  return portable || process.platform !== "linux" ? portableBackend : linuxBackend;
}
function isValidPid(pid) {
  return typeof pid === "number" && Number.isSafeInteger(pid) && pid > 0;
}
function asIdentity(value) {
  if (typeof value !== "object" || value === null) {
    return void 0;
  }
  const { pid, startTime } = value;
  return isValidPid(pid) && typeof startTime === "string" && startTime !== "" ? { pid, startTime } : void 0;
}
function readProcesses(pids) {
  const valid = pids.filter((pid) => isValidPid(pid));
  const rows = valid.length === 0 ? /* @__PURE__ */ new Map() : backend().read(valid);
  return new Map([...rows].filter(([, row]) => !row.exited));
}
function processStartTime(pid) {
  return readProcesses([pid]).get(pid)?.startTime;
}
function processCommandLine(pid) {
  return readProcesses([pid]).get(pid)?.command;
}
var self;
function currentIdentity() {
  const table = processTableName();
  if (self?.table !== table) {
    const startTime = processStartTime(process.pid);
    if (startTime === void 0) {
      throw new Error(
        `Cannot read this process (pid ${process.pid}) in the process table (${table}); set MCPPROXY_PROCESS_TABLE=${table === "proc" ? "portable" : "proc"} to try the other way`
      );
    }
    self = { table, identity: { pid: process.pid, startTime } };
  }
  return self.identity;
}
function areAlive(identities) {
  const byBackend = /* @__PURE__ */ new Map();
  for (const identity of identities) {
    if (isValidPid(identity.pid)) {
      const table = backendOf(identity);
      byBackend.set(table, [...byBackend.get(table) ?? [], identity.pid]);
    }
  }
  const rows = new Map([...byBackend].map(([table, pids]) => [table, table.read(pids)]));
  return identities.map((identity) => {
    const row = rows.get(backendOf(identity))?.get(identity.pid);
    return row !== void 0 && !row.exited && row.startTime === identity.startTime;
  });
}
function isSameProcessAlive(identity) {
  return areAlive([identity])[0];
}
function isPidAlive(pid) {
  if (!isValidPid(pid) || !signalZero(pid)) {
    return false;
  }
  const row = backend().read([pid]).get(pid);
  return row === void 0 || !row.exited;
}
function signalZero(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}
function groupMembers(pgids) {
  const members = new Map(pgids.map((pgid) => [pgid, []]));
  if (pgids.length === 0) {
    return members;
  }
  for (const row of backend().all()) {
    if (!row.exited) {
      members.get(row.pgid)?.push(row);
    }
  }
  return members;
}
function sum(rows) {
  if (rows.length === 0) {
    return null;
  }
  const table = backend();
  const pss = rows.map((row) => table.pss(row.pid));
  return {
    rss: rows.reduce((total, row) => total + row.rss, 0),
    pss: pss.every((value) => value !== void 0) ? pss.reduce((total, value) => total + value, 0) : null,
    processes: rows.length
  };
}
function processMemory(pid) {
  return sum([...readProcesses([pid]).values()]);
}
function groupMemory(leaders) {
  return new Map([...groupMembers(leaders)].map(([leader, rows]) => [leader, sum(rows)]));
}

// src/shared/is-record.ts
function isRecord(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// src/shared/record-file.ts
function recordIn(text) {
  try {
    const value = JSON.parse(text);
    return isRecord(value) ? value : void 0;
  } catch {
    return void 0;
  }
}

// src/lifecycle/registrations.ts
var ABANDONED_TMP_MS = 6e4;
function sessionFileName(clientPid2, sessionId) {
  const safe = /^[\w-]{1,100}$/.test(sessionId) ? sessionId : createHash("sha256").update(sessionId).digest("hex").slice(0, 32);
  return `${clientPid2}-${safe}.json`;
}
function parseSessionRecord(raw) {
  const value = recordIn(raw);
  if (value === void 0) return void 0;
  const { clientPid: clientPid2, clientStartTime, sessionId, projectDir, since } = value;
  const client = asIdentity({ pid: clientPid2, startTime: clientStartTime });
  if (client === void 0 || typeof sessionId !== "string" || typeof since !== "string") return void 0;
  if (projectDir !== void 0 && typeof projectDir !== "string") return void 0;
  const record = { clientPid: client.pid, clientStartTime: client.startTime, sessionId, since };
  if (projectDir !== void 0) record.projectDir = projectDir;
  return record;
}
function register(dir, input) {
  const { clientPid: clientPid2, sessionId, projectDir } = input;
  const clientStartTime = processStartTime(clientPid2);
  if (clientStartTime === void 0) throw new Error(`Cannot register session ${sessionId}: client process ${clientPid2} is not running`);
  const path = join3(dir, sessionFileName(clientPid2, sessionId));
  const previousRaw = readTextIfExists(path);
  const previous = previousRaw === void 0 ? void 0 : parseSessionRecord(previousRaw);
  const since = previous?.clientStartTime === clientStartTime ? previous.since : (/* @__PURE__ */ new Date()).toISOString();
  const record = { clientPid: clientPid2, clientStartTime, sessionId, since };
  if (projectDir !== void 0) record.projectDir = projectDir;
  writeFileAtomic(path, `${JSON.stringify(record)}
`);
}
function unregister(dir, input) {
  return unlinkIfExists(join3(dir, sessionFileName(input.clientPid, input.sessionId)));
}
function forgetOtherSessions(dir, keep) {
  let names;
  try {
    names = readdirSync2(dir);
  } catch {
    return 0;
  }
  const prefix = `${keep.clientPid}-`;
  const kept = sessionFileName(keep.clientPid, keep.sessionId);
  let forgotten = 0;
  for (const name2 of names) {
    if (name2.startsWith(prefix) && name2.endsWith(".json") && name2 !== kept && unlinkIfExists(join3(dir, name2))) forgotten++;
  }
  return forgotten;
}
function removeAbandonedTmp(path) {
  try {
    if (Date.now() - statSync2(path).ctimeMs > ABANDONED_TMP_MS) unlinkIfExists(path);
  } catch {
  }
}
function readEntry(path) {
  try {
    return readTextIfExists(path);
  } catch {
    return void 0;
  }
}
function addSession(byClient, record) {
  const key = `${record.clientPid}:${record.clientStartTime}`;
  const existing = byClient.get(key);
  if (existing === void 0) {
    const registration = {
      clientPid: record.clientPid,
      clientStartTime: record.clientStartTime,
      sessionIds: [record.sessionId],
      since: record.since
    };
    if (record.projectDir !== void 0) registration.projectDir = record.projectDir;
    byClient.set(key, registration);
    return;
  }
  existing.sessionIds.push(record.sessionId);
  if (record.projectDir !== void 0) existing.projectDir = record.projectDir;
}
function liveRegistrations(dir) {
  let names;
  try {
    names = readdirSync2(dir);
  } catch {
    return [];
  }
  const candidates = [];
  for (const name2 of names) {
    const path = join3(dir, name2);
    if (name2.endsWith(TMP_SUFFIX)) {
      removeAbandonedTmp(path);
      continue;
    }
    if (!name2.endsWith(".json")) continue;
    const raw = readEntry(path);
    if (raw === void 0) continue;
    const record = parseSessionRecord(raw);
    const valid = record !== void 0 && sessionFileName(record.clientPid, record.sessionId) === name2;
    if (!valid) {
      removeIfUnchanged(path, raw);
      continue;
    }
    candidates.push({ path, raw, record });
  }
  const alive = areAlive(candidates.map(({ record }) => ({ pid: record.clientPid, startTime: record.clientStartTime })));
  const records = [];
  for (const [index, { path, raw, record }] of candidates.entries()) {
    if (alive[index]) records.push(record);
    else removeIfUnchanged(path, raw);
  }
  records.sort((a, b) => a.since < b.since ? -1 : a.since > b.since ? 1 : 0);
  const byClient = /* @__PURE__ */ new Map();
  for (const record of records) addSession(byClient, record);
  return [...byClient.values()].sort((a, b) => a.clientPid - b.clientPid);
}

// src/platform/support.ts
function unsupportedPlatform(platform = process.platform) {
  return platform === "win32" ? "mcp-tooling: native Windows is not supported yet; WSL 2 works (run Claude Code and this plugin inside WSL)." : void 0;
}
function refuseUnsupported(stream) {
  const refusal = unsupportedPlatform();
  if (refusal !== void 0) {
    stream.write(`${refusal}
`);
  }
  return refusal !== void 0;
}

// src/hooks/hook-input.ts
async function readHookInput(stdin = process.stdin) {
  if (stdin.isTTY) {
    return {};
  }
  let text = "";
  for await (const chunk of stdin) {
    text += String(chunk);
  }
  return recordIn(text) ?? {};
}
function clientPid(env = process.env) {
  const fromEnv = Number(env.CLAUDE_PID);
  return isValidPid(fromEnv) ? fromEnv : process.ppid;
}
function sessionIdOf(input, env = process.env) {
  return input.session_id ?? env.CLAUDE_CODE_SESSION_ID ?? `pid-${clientPid(env)}`;
}

// src/hooks/session-end.ts
var SESSION_GOES_ON = /* @__PURE__ */ new Set(["clear", "resume"]);
async function sessionEnd(name2) {
  if (refuseUnsupported(process.stdout)) {
    return 0;
  }
  try {
    const input = await readHookInput();
    if (input.reason !== void 0 && SESSION_GOES_ON.has(input.reason)) {
      return 0;
    }
    unregister(resolvePaths(name2).registrationsDir, { clientPid: clientPid(), sessionId: sessionIdOf(input) });
  } catch (error) {
    process.stdout.write(
      `mcp-tooling: could not unregister this session (${error.message}); the daemon collects it once Claude exits.
`
    );
  }
  return 0;
}

// src/shared/cli-command.ts
import { accessSync, constants, existsSync, statSync as statSync3 } from "fs";
import { delimiter, dirname as dirname3, join as join4 } from "path";
import { fileURLToPath } from "url";
var SLASH_COMMAND = "/mcp-tooling:mcp-proxy-daemoning";
var CLI_NAME = "mcp-tooling";
var audience = "terminal";
var onPath;
function speakTo(next) {
  audience = next;
}
function cliPath() {
  const here = dirname3(fileURLToPath(import.meta.url));
  const beside = join4(here, "cli.js");
  return existsSync(beside) ? beside : join4(here, "..", "..", "dist", "cli.js");
}
function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return statSync3(file).isFile();
  } catch {
    return false;
  }
}
function pathDirs(env = process.env) {
  return (env.PATH ?? "").split(delimiter).filter((dir) => dir !== "");
}
function cliOnPath(env = process.env) {
  return pathDirs(env).map((dir) => join4(dir, CLI_NAME)).find(isExecutable);
}
function cliCommand(args) {
  if (audience === "claude") {
    return `${SLASH_COMMAND} ${args}`;
  }
  onPath ??= cliOnPath() !== void 0;
  return onPath ? `${CLI_NAME} ${args}` : `node "${cliPath()}" ${args}`;
}

// src/config/duplicates.ts
import { basename, dirname as dirname4, join as join5 } from "path";

// node_modules/jsonc-parser/lib/esm/impl/scanner.js
function createScanner(text, ignoreTrivia = false) {
  const len = text.length;
  let pos = 0, value = "", tokenOffset = 0, token = 16, lineNumber = 0, lineStartOffset = 0, tokenLineStartOffset = 0, prevTokenLineStartOffset = 0, scanError = 0;
  function scanHexDigits(count, exact) {
    let digits = 0;
    let value2 = 0;
    while (digits < count || !exact) {
      let ch = text.charCodeAt(pos);
      if (ch >= 48 && ch <= 57) {
        value2 = value2 * 16 + ch - 48;
      } else if (ch >= 65 && ch <= 70) {
        value2 = value2 * 16 + ch - 65 + 10;
      } else if (ch >= 97 && ch <= 102) {
        value2 = value2 * 16 + ch - 97 + 10;
      } else {
        break;
      }
      pos++;
      digits++;
    }
    if (digits < count) {
      value2 = -1;
    }
    return value2;
  }
  function setPosition(newPosition) {
    pos = newPosition;
    value = "";
    tokenOffset = 0;
    token = 16;
    scanError = 0;
  }
  function scanNumber() {
    let start = pos;
    if (text.charCodeAt(pos) === 48) {
      pos++;
    } else {
      pos++;
      while (pos < text.length && isDigit(text.charCodeAt(pos))) {
        pos++;
      }
    }
    if (pos < text.length && text.charCodeAt(pos) === 46) {
      pos++;
      if (pos < text.length && isDigit(text.charCodeAt(pos))) {
        pos++;
        while (pos < text.length && isDigit(text.charCodeAt(pos))) {
          pos++;
        }
      } else {
        scanError = 3;
        return text.substring(start, pos);
      }
    }
    let end = pos;
    if (pos < text.length && (text.charCodeAt(pos) === 69 || text.charCodeAt(pos) === 101)) {
      pos++;
      if (pos < text.length && text.charCodeAt(pos) === 43 || text.charCodeAt(pos) === 45) {
        pos++;
      }
      if (pos < text.length && isDigit(text.charCodeAt(pos))) {
        pos++;
        while (pos < text.length && isDigit(text.charCodeAt(pos))) {
          pos++;
        }
        end = pos;
      } else {
        scanError = 3;
      }
    }
    return text.substring(start, end);
  }
  function scanString() {
    let result = "", start = pos;
    while (true) {
      if (pos >= len) {
        result += text.substring(start, pos);
        scanError = 2;
        break;
      }
      const ch = text.charCodeAt(pos);
      if (ch === 34) {
        result += text.substring(start, pos);
        pos++;
        break;
      }
      if (ch === 92) {
        result += text.substring(start, pos);
        pos++;
        if (pos >= len) {
          scanError = 2;
          break;
        }
        const ch2 = text.charCodeAt(pos++);
        switch (ch2) {
          case 34:
            result += '"';
            break;
          case 92:
            result += "\\";
            break;
          case 47:
            result += "/";
            break;
          case 98:
            result += "\b";
            break;
          case 102:
            result += "\f";
            break;
          case 110:
            result += "\n";
            break;
          case 114:
            result += "\r";
            break;
          case 116:
            result += "	";
            break;
          case 117:
            const ch3 = scanHexDigits(4, true);
            if (ch3 >= 0) {
              result += String.fromCharCode(ch3);
            } else {
              scanError = 4;
            }
            break;
          default:
            scanError = 5;
        }
        start = pos;
        continue;
      }
      if (ch >= 0 && ch <= 31) {
        if (isLineBreak(ch)) {
          result += text.substring(start, pos);
          scanError = 2;
          break;
        } else {
          scanError = 6;
        }
      }
      pos++;
    }
    return result;
  }
  function scanNext() {
    value = "";
    scanError = 0;
    tokenOffset = pos;
    lineStartOffset = lineNumber;
    prevTokenLineStartOffset = tokenLineStartOffset;
    if (pos >= len) {
      tokenOffset = len;
      return token = 17;
    }
    let code = text.charCodeAt(pos);
    if (isWhiteSpace(code)) {
      do {
        pos++;
        value += String.fromCharCode(code);
        code = text.charCodeAt(pos);
      } while (isWhiteSpace(code));
      return token = 15;
    }
    if (isLineBreak(code)) {
      pos++;
      value += String.fromCharCode(code);
      if (code === 13 && text.charCodeAt(pos) === 10) {
        pos++;
        value += "\n";
      }
      lineNumber++;
      tokenLineStartOffset = pos;
      return token = 14;
    }
    switch (code) {
      // tokens: []{}:,
      case 123:
        pos++;
        return token = 1;
      case 125:
        pos++;
        return token = 2;
      case 91:
        pos++;
        return token = 3;
      case 93:
        pos++;
        return token = 4;
      case 58:
        pos++;
        return token = 6;
      case 44:
        pos++;
        return token = 5;
      // strings
      case 34:
        pos++;
        value = scanString();
        return token = 10;
      // comments
      case 47:
        const start = pos - 1;
        if (text.charCodeAt(pos + 1) === 47) {
          pos += 2;
          while (pos < len) {
            if (isLineBreak(text.charCodeAt(pos))) {
              break;
            }
            pos++;
          }
          value = text.substring(start, pos);
          return token = 12;
        }
        if (text.charCodeAt(pos + 1) === 42) {
          pos += 2;
          const safeLength = len - 1;
          let commentClosed = false;
          while (pos < safeLength) {
            const ch = text.charCodeAt(pos);
            if (ch === 42 && text.charCodeAt(pos + 1) === 47) {
              pos += 2;
              commentClosed = true;
              break;
            }
            pos++;
            if (isLineBreak(ch)) {
              if (ch === 13 && text.charCodeAt(pos) === 10) {
                pos++;
              }
              lineNumber++;
              tokenLineStartOffset = pos;
            }
          }
          if (!commentClosed) {
            pos++;
            scanError = 1;
          }
          value = text.substring(start, pos);
          return token = 13;
        }
        value += String.fromCharCode(code);
        pos++;
        return token = 16;
      // numbers
      case 45:
        value += String.fromCharCode(code);
        pos++;
        if (pos === len || !isDigit(text.charCodeAt(pos))) {
          return token = 16;
        }
      // found a minus, followed by a number so
      // we fall through to proceed with scanning
      // numbers
      case 48:
      case 49:
      case 50:
      case 51:
      case 52:
      case 53:
      case 54:
      case 55:
      case 56:
      case 57:
        value += scanNumber();
        return token = 11;
      // literals and unknown symbols
      default:
        while (pos < len && isUnknownContentCharacter(code)) {
          pos++;
          code = text.charCodeAt(pos);
        }
        if (tokenOffset !== pos) {
          value = text.substring(tokenOffset, pos);
          switch (value) {
            case "true":
              return token = 8;
            case "false":
              return token = 9;
            case "null":
              return token = 7;
          }
          return token = 16;
        }
        value += String.fromCharCode(code);
        pos++;
        return token = 16;
    }
  }
  function isUnknownContentCharacter(code) {
    if (isWhiteSpace(code) || isLineBreak(code)) {
      return false;
    }
    switch (code) {
      case 125:
      case 93:
      case 123:
      case 91:
      case 34:
      case 58:
      case 44:
      case 47:
        return false;
    }
    return true;
  }
  function scanNextNonTrivia() {
    let result;
    do {
      result = scanNext();
    } while (result >= 12 && result <= 15);
    return result;
  }
  return {
    setPosition,
    getPosition: () => pos,
    scan: ignoreTrivia ? scanNextNonTrivia : scanNext,
    getToken: () => token,
    getTokenValue: () => value,
    getTokenOffset: () => tokenOffset,
    getTokenLength: () => pos - tokenOffset,
    getTokenStartLine: () => lineStartOffset,
    getTokenStartCharacter: () => tokenOffset - prevTokenLineStartOffset,
    getTokenError: () => scanError
  };
}
function isWhiteSpace(ch) {
  return ch === 32 || ch === 9;
}
function isLineBreak(ch) {
  return ch === 10 || ch === 13;
}
function isDigit(ch) {
  return ch >= 48 && ch <= 57;
}
var CharacterCodes;
(function(CharacterCodes2) {
  CharacterCodes2[CharacterCodes2["lineFeed"] = 10] = "lineFeed";
  CharacterCodes2[CharacterCodes2["carriageReturn"] = 13] = "carriageReturn";
  CharacterCodes2[CharacterCodes2["space"] = 32] = "space";
  CharacterCodes2[CharacterCodes2["_0"] = 48] = "_0";
  CharacterCodes2[CharacterCodes2["_1"] = 49] = "_1";
  CharacterCodes2[CharacterCodes2["_2"] = 50] = "_2";
  CharacterCodes2[CharacterCodes2["_3"] = 51] = "_3";
  CharacterCodes2[CharacterCodes2["_4"] = 52] = "_4";
  CharacterCodes2[CharacterCodes2["_5"] = 53] = "_5";
  CharacterCodes2[CharacterCodes2["_6"] = 54] = "_6";
  CharacterCodes2[CharacterCodes2["_7"] = 55] = "_7";
  CharacterCodes2[CharacterCodes2["_8"] = 56] = "_8";
  CharacterCodes2[CharacterCodes2["_9"] = 57] = "_9";
  CharacterCodes2[CharacterCodes2["a"] = 97] = "a";
  CharacterCodes2[CharacterCodes2["b"] = 98] = "b";
  CharacterCodes2[CharacterCodes2["c"] = 99] = "c";
  CharacterCodes2[CharacterCodes2["d"] = 100] = "d";
  CharacterCodes2[CharacterCodes2["e"] = 101] = "e";
  CharacterCodes2[CharacterCodes2["f"] = 102] = "f";
  CharacterCodes2[CharacterCodes2["g"] = 103] = "g";
  CharacterCodes2[CharacterCodes2["h"] = 104] = "h";
  CharacterCodes2[CharacterCodes2["i"] = 105] = "i";
  CharacterCodes2[CharacterCodes2["j"] = 106] = "j";
  CharacterCodes2[CharacterCodes2["k"] = 107] = "k";
  CharacterCodes2[CharacterCodes2["l"] = 108] = "l";
  CharacterCodes2[CharacterCodes2["m"] = 109] = "m";
  CharacterCodes2[CharacterCodes2["n"] = 110] = "n";
  CharacterCodes2[CharacterCodes2["o"] = 111] = "o";
  CharacterCodes2[CharacterCodes2["p"] = 112] = "p";
  CharacterCodes2[CharacterCodes2["q"] = 113] = "q";
  CharacterCodes2[CharacterCodes2["r"] = 114] = "r";
  CharacterCodes2[CharacterCodes2["s"] = 115] = "s";
  CharacterCodes2[CharacterCodes2["t"] = 116] = "t";
  CharacterCodes2[CharacterCodes2["u"] = 117] = "u";
  CharacterCodes2[CharacterCodes2["v"] = 118] = "v";
  CharacterCodes2[CharacterCodes2["w"] = 119] = "w";
  CharacterCodes2[CharacterCodes2["x"] = 120] = "x";
  CharacterCodes2[CharacterCodes2["y"] = 121] = "y";
  CharacterCodes2[CharacterCodes2["z"] = 122] = "z";
  CharacterCodes2[CharacterCodes2["A"] = 65] = "A";
  CharacterCodes2[CharacterCodes2["B"] = 66] = "B";
  CharacterCodes2[CharacterCodes2["C"] = 67] = "C";
  CharacterCodes2[CharacterCodes2["D"] = 68] = "D";
  CharacterCodes2[CharacterCodes2["E"] = 69] = "E";
  CharacterCodes2[CharacterCodes2["F"] = 70] = "F";
  CharacterCodes2[CharacterCodes2["G"] = 71] = "G";
  CharacterCodes2[CharacterCodes2["H"] = 72] = "H";
  CharacterCodes2[CharacterCodes2["I"] = 73] = "I";
  CharacterCodes2[CharacterCodes2["J"] = 74] = "J";
  CharacterCodes2[CharacterCodes2["K"] = 75] = "K";
  CharacterCodes2[CharacterCodes2["L"] = 76] = "L";
  CharacterCodes2[CharacterCodes2["M"] = 77] = "M";
  CharacterCodes2[CharacterCodes2["N"] = 78] = "N";
  CharacterCodes2[CharacterCodes2["O"] = 79] = "O";
  CharacterCodes2[CharacterCodes2["P"] = 80] = "P";
  CharacterCodes2[CharacterCodes2["Q"] = 81] = "Q";
  CharacterCodes2[CharacterCodes2["R"] = 82] = "R";
  CharacterCodes2[CharacterCodes2["S"] = 83] = "S";
  CharacterCodes2[CharacterCodes2["T"] = 84] = "T";
  CharacterCodes2[CharacterCodes2["U"] = 85] = "U";
  CharacterCodes2[CharacterCodes2["V"] = 86] = "V";
  CharacterCodes2[CharacterCodes2["W"] = 87] = "W";
  CharacterCodes2[CharacterCodes2["X"] = 88] = "X";
  CharacterCodes2[CharacterCodes2["Y"] = 89] = "Y";
  CharacterCodes2[CharacterCodes2["Z"] = 90] = "Z";
  CharacterCodes2[CharacterCodes2["asterisk"] = 42] = "asterisk";
  CharacterCodes2[CharacterCodes2["backslash"] = 92] = "backslash";
  CharacterCodes2[CharacterCodes2["closeBrace"] = 125] = "closeBrace";
  CharacterCodes2[CharacterCodes2["closeBracket"] = 93] = "closeBracket";
  CharacterCodes2[CharacterCodes2["colon"] = 58] = "colon";
  CharacterCodes2[CharacterCodes2["comma"] = 44] = "comma";
  CharacterCodes2[CharacterCodes2["dot"] = 46] = "dot";
  CharacterCodes2[CharacterCodes2["doubleQuote"] = 34] = "doubleQuote";
  CharacterCodes2[CharacterCodes2["minus"] = 45] = "minus";
  CharacterCodes2[CharacterCodes2["openBrace"] = 123] = "openBrace";
  CharacterCodes2[CharacterCodes2["openBracket"] = 91] = "openBracket";
  CharacterCodes2[CharacterCodes2["plus"] = 43] = "plus";
  CharacterCodes2[CharacterCodes2["slash"] = 47] = "slash";
  CharacterCodes2[CharacterCodes2["formFeed"] = 12] = "formFeed";
  CharacterCodes2[CharacterCodes2["tab"] = 9] = "tab";
})(CharacterCodes || (CharacterCodes = {}));

// node_modules/jsonc-parser/lib/esm/impl/string-intern.js
var cachedSpaces = new Array(20).fill(0).map((_, index) => {
  return " ".repeat(index);
});
var maxCachedValues = 200;
var cachedBreakLinesWithSpaces = {
  " ": {
    "\n": new Array(maxCachedValues).fill(0).map((_, index) => {
      return "\n" + " ".repeat(index);
    }),
    "\r": new Array(maxCachedValues).fill(0).map((_, index) => {
      return "\r" + " ".repeat(index);
    }),
    "\r\n": new Array(maxCachedValues).fill(0).map((_, index) => {
      return "\r\n" + " ".repeat(index);
    })
  },
  "	": {
    "\n": new Array(maxCachedValues).fill(0).map((_, index) => {
      return "\n" + "	".repeat(index);
    }),
    "\r": new Array(maxCachedValues).fill(0).map((_, index) => {
      return "\r" + "	".repeat(index);
    }),
    "\r\n": new Array(maxCachedValues).fill(0).map((_, index) => {
      return "\r\n" + "	".repeat(index);
    })
  }
};

// node_modules/jsonc-parser/lib/esm/impl/parser.js
var ParseOptions;
(function(ParseOptions2) {
  ParseOptions2.DEFAULT = {
    allowTrailingComma: false
  };
})(ParseOptions || (ParseOptions = {}));
function visit(text, visitor, options = ParseOptions.DEFAULT) {
  const _scanner = createScanner(text, false);
  const _jsonPath = [];
  let suppressedCallbacks = 0;
  function toNoArgVisit(visitFunction) {
    return visitFunction ? () => suppressedCallbacks === 0 && visitFunction(_scanner.getTokenOffset(), _scanner.getTokenLength(), _scanner.getTokenStartLine(), _scanner.getTokenStartCharacter()) : () => true;
  }
  function toOneArgVisit(visitFunction) {
    return visitFunction ? (arg) => suppressedCallbacks === 0 && visitFunction(arg, _scanner.getTokenOffset(), _scanner.getTokenLength(), _scanner.getTokenStartLine(), _scanner.getTokenStartCharacter()) : () => true;
  }
  function toOneArgVisitWithPath(visitFunction) {
    return visitFunction ? (arg) => suppressedCallbacks === 0 && visitFunction(arg, _scanner.getTokenOffset(), _scanner.getTokenLength(), _scanner.getTokenStartLine(), _scanner.getTokenStartCharacter(), () => _jsonPath.slice()) : () => true;
  }
  function toBeginVisit(visitFunction) {
    return visitFunction ? () => {
      if (suppressedCallbacks > 0) {
        suppressedCallbacks++;
      } else {
        let cbReturn = visitFunction(_scanner.getTokenOffset(), _scanner.getTokenLength(), _scanner.getTokenStartLine(), _scanner.getTokenStartCharacter(), () => _jsonPath.slice());
        if (cbReturn === false) {
          suppressedCallbacks = 1;
        }
      }
    } : () => true;
  }
  function toEndVisit(visitFunction) {
    return visitFunction ? () => {
      if (suppressedCallbacks > 0) {
        suppressedCallbacks--;
      }
      if (suppressedCallbacks === 0) {
        visitFunction(_scanner.getTokenOffset(), _scanner.getTokenLength(), _scanner.getTokenStartLine(), _scanner.getTokenStartCharacter());
      }
    } : () => true;
  }
  const onObjectBegin = toBeginVisit(visitor.onObjectBegin), onObjectProperty = toOneArgVisitWithPath(visitor.onObjectProperty), onObjectEnd = toEndVisit(visitor.onObjectEnd), onArrayBegin = toBeginVisit(visitor.onArrayBegin), onArrayEnd = toEndVisit(visitor.onArrayEnd), onLiteralValue = toOneArgVisitWithPath(visitor.onLiteralValue), onSeparator = toOneArgVisit(visitor.onSeparator), onComment = toNoArgVisit(visitor.onComment), onError = toOneArgVisit(visitor.onError);
  const disallowComments = options && options.disallowComments;
  const allowTrailingComma = options && options.allowTrailingComma;
  function scanNext() {
    while (true) {
      const token = _scanner.scan();
      switch (_scanner.getTokenError()) {
        case 4:
          handleError(
            14
            /* ParseErrorCode.InvalidUnicode */
          );
          break;
        case 5:
          handleError(
            15
            /* ParseErrorCode.InvalidEscapeCharacter */
          );
          break;
        case 3:
          handleError(
            13
            /* ParseErrorCode.UnexpectedEndOfNumber */
          );
          break;
        case 1:
          if (!disallowComments) {
            handleError(
              11
              /* ParseErrorCode.UnexpectedEndOfComment */
            );
          }
          break;
        case 2:
          handleError(
            12
            /* ParseErrorCode.UnexpectedEndOfString */
          );
          break;
        case 6:
          handleError(
            16
            /* ParseErrorCode.InvalidCharacter */
          );
          break;
      }
      switch (token) {
        case 12:
        case 13:
          if (disallowComments) {
            handleError(
              10
              /* ParseErrorCode.InvalidCommentToken */
            );
          } else {
            onComment();
          }
          break;
        case 16:
          handleError(
            1
            /* ParseErrorCode.InvalidSymbol */
          );
          break;
        case 15:
        case 14:
          break;
        default:
          return token;
      }
    }
  }
  function handleError(error, skipUntilAfter = [], skipUntil = []) {
    onError(error);
    if (skipUntilAfter.length + skipUntil.length > 0) {
      let token = _scanner.getToken();
      while (token !== 17) {
        if (skipUntilAfter.indexOf(token) !== -1) {
          scanNext();
          break;
        } else if (skipUntil.indexOf(token) !== -1) {
          break;
        }
        token = scanNext();
      }
    }
  }
  function parseString(isValue) {
    const value = _scanner.getTokenValue();
    if (isValue) {
      onLiteralValue(value);
    } else {
      onObjectProperty(value);
      _jsonPath.push(value);
    }
    scanNext();
    return true;
  }
  function parseLiteral() {
    switch (_scanner.getToken()) {
      case 11:
        const tokenValue = _scanner.getTokenValue();
        let value = Number(tokenValue);
        if (isNaN(value)) {
          handleError(
            2
            /* ParseErrorCode.InvalidNumberFormat */
          );
          value = 0;
        }
        onLiteralValue(value);
        break;
      case 7:
        onLiteralValue(null);
        break;
      case 8:
        onLiteralValue(true);
        break;
      case 9:
        onLiteralValue(false);
        break;
      default:
        return false;
    }
    scanNext();
    return true;
  }
  function parseProperty() {
    if (_scanner.getToken() !== 10) {
      handleError(3, [], [
        2,
        5
        /* SyntaxKind.CommaToken */
      ]);
      return false;
    }
    parseString(false);
    if (_scanner.getToken() === 6) {
      onSeparator(":");
      scanNext();
      if (!parseValue()) {
        handleError(4, [], [
          2,
          5
          /* SyntaxKind.CommaToken */
        ]);
      }
    } else {
      handleError(5, [], [
        2,
        5
        /* SyntaxKind.CommaToken */
      ]);
    }
    _jsonPath.pop();
    return true;
  }
  function parseObject() {
    onObjectBegin();
    scanNext();
    let needsComma = false;
    while (_scanner.getToken() !== 2 && _scanner.getToken() !== 17) {
      if (_scanner.getToken() === 5) {
        if (!needsComma) {
          handleError(4, [], []);
        }
        onSeparator(",");
        scanNext();
        if (_scanner.getToken() === 2 && allowTrailingComma) {
          break;
        }
      } else if (needsComma) {
        handleError(6, [], []);
      }
      if (!parseProperty()) {
        handleError(4, [], [
          2,
          5
          /* SyntaxKind.CommaToken */
        ]);
      }
      needsComma = true;
    }
    onObjectEnd();
    if (_scanner.getToken() !== 2) {
      handleError(7, [
        2
        /* SyntaxKind.CloseBraceToken */
      ], []);
    } else {
      scanNext();
    }
    return true;
  }
  function parseArray() {
    onArrayBegin();
    scanNext();
    let isFirstElement = true;
    let needsComma = false;
    while (_scanner.getToken() !== 4 && _scanner.getToken() !== 17) {
      if (_scanner.getToken() === 5) {
        if (!needsComma) {
          handleError(4, [], []);
        }
        onSeparator(",");
        scanNext();
        if (_scanner.getToken() === 4 && allowTrailingComma) {
          break;
        }
      } else if (needsComma) {
        handleError(6, [], []);
      }
      if (isFirstElement) {
        _jsonPath.push(0);
        isFirstElement = false;
      } else {
        _jsonPath[_jsonPath.length - 1]++;
      }
      if (!parseValue()) {
        handleError(4, [], [
          4,
          5
          /* SyntaxKind.CommaToken */
        ]);
      }
      needsComma = true;
    }
    onArrayEnd();
    if (!isFirstElement) {
      _jsonPath.pop();
    }
    if (_scanner.getToken() !== 4) {
      handleError(8, [
        4
        /* SyntaxKind.CloseBracketToken */
      ], []);
    } else {
      scanNext();
    }
    return true;
  }
  function parseValue() {
    switch (_scanner.getToken()) {
      case 3:
        return parseArray();
      case 1:
        return parseObject();
      case 10:
        return parseString(true);
      default:
        return parseLiteral();
    }
  }
  scanNext();
  if (_scanner.getToken() === 17) {
    if (options.allowEmptyContent) {
      return true;
    }
    handleError(4, [], []);
    return false;
  }
  if (!parseValue()) {
    handleError(4, [], []);
    return false;
  }
  if (_scanner.getToken() !== 17) {
    handleError(9, [], []);
  }
  return true;
}

// node_modules/jsonc-parser/lib/esm/main.js
var ScanError;
(function(ScanError2) {
  ScanError2[ScanError2["None"] = 0] = "None";
  ScanError2[ScanError2["UnexpectedEndOfComment"] = 1] = "UnexpectedEndOfComment";
  ScanError2[ScanError2["UnexpectedEndOfString"] = 2] = "UnexpectedEndOfString";
  ScanError2[ScanError2["UnexpectedEndOfNumber"] = 3] = "UnexpectedEndOfNumber";
  ScanError2[ScanError2["InvalidUnicode"] = 4] = "InvalidUnicode";
  ScanError2[ScanError2["InvalidEscapeCharacter"] = 5] = "InvalidEscapeCharacter";
  ScanError2[ScanError2["InvalidCharacter"] = 6] = "InvalidCharacter";
})(ScanError || (ScanError = {}));
var SyntaxKind;
(function(SyntaxKind2) {
  SyntaxKind2[SyntaxKind2["OpenBraceToken"] = 1] = "OpenBraceToken";
  SyntaxKind2[SyntaxKind2["CloseBraceToken"] = 2] = "CloseBraceToken";
  SyntaxKind2[SyntaxKind2["OpenBracketToken"] = 3] = "OpenBracketToken";
  SyntaxKind2[SyntaxKind2["CloseBracketToken"] = 4] = "CloseBracketToken";
  SyntaxKind2[SyntaxKind2["CommaToken"] = 5] = "CommaToken";
  SyntaxKind2[SyntaxKind2["ColonToken"] = 6] = "ColonToken";
  SyntaxKind2[SyntaxKind2["NullKeyword"] = 7] = "NullKeyword";
  SyntaxKind2[SyntaxKind2["TrueKeyword"] = 8] = "TrueKeyword";
  SyntaxKind2[SyntaxKind2["FalseKeyword"] = 9] = "FalseKeyword";
  SyntaxKind2[SyntaxKind2["StringLiteral"] = 10] = "StringLiteral";
  SyntaxKind2[SyntaxKind2["NumericLiteral"] = 11] = "NumericLiteral";
  SyntaxKind2[SyntaxKind2["LineCommentTrivia"] = 12] = "LineCommentTrivia";
  SyntaxKind2[SyntaxKind2["BlockCommentTrivia"] = 13] = "BlockCommentTrivia";
  SyntaxKind2[SyntaxKind2["LineBreakTrivia"] = 14] = "LineBreakTrivia";
  SyntaxKind2[SyntaxKind2["Trivia"] = 15] = "Trivia";
  SyntaxKind2[SyntaxKind2["Unknown"] = 16] = "Unknown";
  SyntaxKind2[SyntaxKind2["EOF"] = 17] = "EOF";
})(SyntaxKind || (SyntaxKind = {}));
var visit2 = visit;
var ParseErrorCode;
(function(ParseErrorCode2) {
  ParseErrorCode2[ParseErrorCode2["InvalidSymbol"] = 1] = "InvalidSymbol";
  ParseErrorCode2[ParseErrorCode2["InvalidNumberFormat"] = 2] = "InvalidNumberFormat";
  ParseErrorCode2[ParseErrorCode2["PropertyNameExpected"] = 3] = "PropertyNameExpected";
  ParseErrorCode2[ParseErrorCode2["ValueExpected"] = 4] = "ValueExpected";
  ParseErrorCode2[ParseErrorCode2["ColonExpected"] = 5] = "ColonExpected";
  ParseErrorCode2[ParseErrorCode2["CommaExpected"] = 6] = "CommaExpected";
  ParseErrorCode2[ParseErrorCode2["CloseBraceExpected"] = 7] = "CloseBraceExpected";
  ParseErrorCode2[ParseErrorCode2["CloseBracketExpected"] = 8] = "CloseBracketExpected";
  ParseErrorCode2[ParseErrorCode2["EndOfFileExpected"] = 9] = "EndOfFileExpected";
  ParseErrorCode2[ParseErrorCode2["InvalidCommentToken"] = 10] = "InvalidCommentToken";
  ParseErrorCode2[ParseErrorCode2["UnexpectedEndOfComment"] = 11] = "UnexpectedEndOfComment";
  ParseErrorCode2[ParseErrorCode2["UnexpectedEndOfString"] = 12] = "UnexpectedEndOfString";
  ParseErrorCode2[ParseErrorCode2["UnexpectedEndOfNumber"] = 13] = "UnexpectedEndOfNumber";
  ParseErrorCode2[ParseErrorCode2["InvalidUnicode"] = 14] = "InvalidUnicode";
  ParseErrorCode2[ParseErrorCode2["InvalidEscapeCharacter"] = 15] = "InvalidEscapeCharacter";
  ParseErrorCode2[ParseErrorCode2["InvalidCharacter"] = 16] = "InvalidCharacter";
})(ParseErrorCode || (ParseErrorCode = {}));
function printParseErrorCode(code) {
  switch (code) {
    case 1:
      return "InvalidSymbol";
    case 2:
      return "InvalidNumberFormat";
    case 3:
      return "PropertyNameExpected";
    case 4:
      return "ValueExpected";
    case 5:
      return "ColonExpected";
    case 6:
      return "CommaExpected";
    case 7:
      return "CloseBraceExpected";
    case 8:
      return "CloseBracketExpected";
    case 9:
      return "EndOfFileExpected";
    case 10:
      return "InvalidCommentToken";
    case 11:
      return "UnexpectedEndOfComment";
    case 12:
      return "UnexpectedEndOfString";
    case 13:
      return "UnexpectedEndOfNumber";
    case 14:
      return "InvalidUnicode";
    case 15:
      return "InvalidEscapeCharacter";
    case 16:
      return "InvalidCharacter";
  }
  return "<unknown ParseErrorCode>";
}

// src/shared/json-file.ts
var BYTE_ORDER_MARK = "\uFEFF";
function withoutByteOrderMark(text) {
  return text.startsWith(BYTE_ORDER_MARK) ? text.slice(BYTE_ORDER_MARK.length) : text;
}
var LITERALS = ["true", "false", "null"];
var PROBLEMS = {
  InvalidNumberFormat: "invalid number",
  PropertyNameExpected: "expected double-quoted property name",
  ValueExpected: "expected a value",
  ColonExpected: "expected ':' after property name",
  CommaExpected: "expected ',' between items",
  CloseBraceExpected: "expected ',' or '}'",
  CloseBracketExpected: "expected ',' or ']'",
  EndOfFileExpected: "unexpected text after the JSON value",
  InvalidCommentToken: "unexpected comment",
  UnexpectedEndOfString: "unterminated string",
  UnexpectedEndOfNumber: "unfinished number",
  UnexpectedEndOfComment: "unterminated comment",
  InvalidUnicode: "bad \\u escape in a string",
  InvalidEscapeCharacter: "bad escaped character in a string",
  InvalidCharacter: "bad control character in a string"
};
function parseJsonText(text) {
  const json = withoutByteOrderMark(text);
  try {
    return { ok: true, value: JSON.parse(json) };
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    return {
      ok: false,
      ...syntaxError(json) ?? { problem: error.message.charAt(0).toLowerCase() + error.message.slice(1) }
    };
  }
}
function syntaxError(json) {
  let found;
  visit2(json, { onError: (code2, offset2, length2) => found ??= { code: code2, offset: offset2, length: length2 } }, { disallowComments: true, allowTrailingComma: false });
  if (found === void 0) return void 0;
  const { code, offset, length } = found;
  if (json.slice(offset).trim() === "") return { problem: "unexpected end of JSON input", ...locate(json, json.length) };
  if (printParseErrorCode(code) === "InvalidSymbol") {
    const at = offset + misspeltLength(json.slice(offset, offset + length));
    return { problem: `unexpected token '${json[at]}'`, ...locate(json, at) };
  }
  return { problem: PROBLEMS[printParseErrorCode(code)] ?? "not valid", ...locate(json, offset) };
}
function misspeltLength(word) {
  let length = 0;
  while (length < word.length && LITERALS.some((literal) => literal.startsWith(word.slice(0, length + 1)))) length++;
  return Math.min(length, word.length - 1);
}
function locate(text, offset) {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf("\n") + 1;
  return { line: before.split("\n").length, column: offset - lineStart + 1 };
}
function readJsonObject(file) {
  let text;
  try {
    text = readTextIfExists(file);
  } catch (error) {
    const code = errorCode(error);
    return code === "ENOTDIR" ? { missing: true } : { error: `${file} cannot be read (${code})` };
  }
  if (text === void 0) return { missing: true };
  const parsed = parseJsonText(text);
  if (!parsed.ok) return { error: `${file} is not valid JSON (${describeSyntaxError(parsed)})` };
  return isRecord(parsed.value) ? { text, data: parsed.value } : { error: `${file} is not a JSON object` };
}
function describeSyntaxError({ problem, line, column }) {
  return line === void 0 ? problem : `line ${line}, column ${column}: ${problem}`;
}

// src/config/server-identity.ts
function serverIdentity(raw) {
  if (!isRecord(raw)) return void 0;
  if (raw.type === "http" || raw.type === "sse") {
    return JSON.stringify({ type: raw.type, url: raw.url, headers: sortedMap(raw.headers) });
  }
  return JSON.stringify({
    type: "stdio",
    command: raw.command,
    args: raw.args ?? [],
    env: sortedMap(raw.env),
    cwd: raw.cwd
  });
}
function namesByIdentity(servers) {
  const names = /* @__PURE__ */ new Map();
  for (const [name2, raw] of Object.entries(servers)) {
    const identity = serverIdentity(raw);
    if (identity !== void 0 && !names.has(identity)) names.set(identity, name2);
  }
  return names;
}
function sortedMap(value) {
  if (value === void 0) return [];
  if (!isRecord(value)) return value;
  return Object.entries(value).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0);
}

// src/config/duplicates.ts
function removal(file, entry) {
  if (entry.origin?.startsWith("project ")) {
    return `(cd ${JSON.stringify(entry.origin.slice("project ".length))} && claude mcp remove ${entry.name} --scope local)`;
  }
  if (entry.origin === void 0 && basename(file) === ".mcp.json") {
    return `(cd ${JSON.stringify(dirname4(file))} && claude mcp remove ${entry.name} --scope project)`;
  }
  return `claude mcp remove ${entry.name} --scope user`;
}
function findDuplicates(file, entries, shared) {
  const servedBy = namesByIdentity(shared);
  return entries.flatMap((entry) => {
    const identity = serverIdentity(entry.raw);
    const sharedAs = identity === void 0 ? void 0 : servedBy.get(identity);
    if (sharedAs === void 0) return [];
    return [
      {
        file,
        name: entry.name,
        sharedAs,
        ...entry.origin === void 0 ? {} : { origin: entry.origin },
        fix: removal(file, entry)
      }
    ];
  });
}
function serversIn(file) {
  const read = readJsonObject(file);
  return "data" in read && isRecord(read.data.mcpServers) ? read.data.mcpServers : {};
}
function projectDuplicates(projectDir, sharedConfigFile) {
  const file = join5(projectDir, ".mcp.json");
  const entries = Object.entries(serversIn(file)).map(([name2, raw]) => ({ name: name2, raw, path: ["mcpServers"] }));
  return entries.length === 0 ? [] : findDuplicates(file, entries, serversIn(sharedConfigFile));
}

// src/contract/state-file.ts
var TEXT_FIELDS = ["name", "version", "url", "tokenFile", "socket", "configFile", "startedAt"];
function isPort(value) {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 65535;
}
function readState(file) {
  const text = readTextIfExists(file);
  if (!text) {
    return void 0;
  }
  const said = recordIn(text);
  const identity = asIdentity(said);
  if (!said || !identity) {
    return void 0;
  }
  if (!isPort(said.port) || !TEXT_FIELDS.every((field) => typeof said[field] === "string")) {
    return void 0;
  }
  const fields = Object.fromEntries(TEXT_FIELDS.map((field) => [field, said[field]]));
  const { maxMessageBytes } = said;
  const limit = Number.isSafeInteger(maxMessageBytes) && maxMessageBytes > 0 ? { maxMessageBytes } : {};
  return { ...identity, ...fields, port: said.port, ...limit };
}

// src/contract/token-file.ts
import { randomBytes } from "crypto";
import { statSync as statSync4 } from "fs";
function readToken(file) {
  return readTextIfExists(file)?.trim() || void 0;
}

// src/shared/log.ts
var REDACTED = "[redacted]";
var SENSITIVE_KEY = /token|secret|passw(?:or)?d|authorization|key|credential|cookie/i;
var MIN_SECRET_LENGTH = 4;
var TOKEN_PATTERNS = [
  // An HTTP credential after its scheme: "Authorization: Bearer …".
  [/\b(Bearer|Basic)\s+[\w.~+/=-]+/gi, `$1 ${REDACTED}`],
  // NAME=value, NAME: value and "NAME": "value" where NAME names a secret (command lines, URL queries, JSON
  // bodies); a `${VAR}` reference names where a secret comes from, not the secret, and stays.
  [
    new RegExp(
      String.raw`\b([\w-]*(?:token|secret|passw(?:or)?d|authorization|api[_-]?key|access[_-]?key|private[_-]?key|credential)s?)` + String.raw`("?\s*[=:]\s*"?)(?!\[redacted\]|Bearer\b|Basic\b|\$\{)([^\s"'&,;]+)`,
      "gi"
    ),
    `$1$2${REDACTED}`
  ],
  // The password in a URL's user info.
  [/(\b[a-z][\w+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi, `$1${REDACTED}@`],
  // Key formats of well-known services.
  [
    /\b(?:sk-[\w-]{6,}|gh[pousr]_\w{20,}|github_pat_\w{20,}|xox[abprs]-[\w-]{10,}|glpat-[\w-]{20,}|AKIA[0-9A-Z]{16}|AIza[\w-]{30,})/g,
    REDACTED
  ]
];
var Redactor = class {
  secrets = [];
  add(values) {
    const known = new Set(this.secrets);
    for (const value of values) {
      if (value.length >= MIN_SECRET_LENGTH) {
        known.add(value);
      }
    }
    this.secrets = [...known].sort((a, b) => b.length - a.length);
  }
  text(text) {
    let result = text;
    for (const secret of this.secrets) {
      result = result.replaceAll(secret, REDACTED);
    }
    for (const [pattern, replacement] of TOKEN_PATTERNS) {
      result = result.replace(pattern, replacement);
    }
    return result;
  }
  /** A value as it may be shown; `key` is the name it goes by, if any. */
  value(value, key) {
    if (value === void 0 || value === null) {
      return value;
    }
    if (key !== void 0 && SENSITIVE_KEY.test(key)) {
      return REDACTED;
    }
    if (typeof value === "string") {
      return this.text(value);
    }
    if (Array.isArray(value)) {
      return value.map((item) => this.value(item));
    }
    if (typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([name2, item]) => [name2, this.value(item, name2)]));
    }
    return value;
  }
};

// src/lifecycle/pid-file.ts
import { basename as basename2 } from "path";
var LEGACY_MARKERS = ["mcp-tooling", "dist/cli.js"];
var DAEMON_COMMAND = /(?:^| )daemon run(?: |$)/;
function parseJsonRecord(text) {
  const value = recordIn(text);
  const identity = asIdentity(value);
  if (identity === void 0 || value === void 0) return void 0;
  const { pid, startTime } = identity;
  const { name: name2, version } = value;
  if (typeof name2 !== "string") return void 0;
  if (version !== void 0 && typeof version !== "string") return void 0;
  return version === void 0 ? { pid, startTime, name: name2 } : { pid, startTime, name: name2, version };
}
function adoptLegacy(pid, path) {
  if (!isPidAlive(pid)) return void 0;
  const command = processCommandLine(pid);
  if (command === void 0 || !DAEMON_COMMAND.test(command) || !LEGACY_MARKERS.some((marker) => command.includes(marker))) return void 0;
  const startTime = processStartTime(pid);
  if (startTime === void 0) return void 0;
  const name2 = basename2(path).replace(/^mcp-proxy-/, "").replace(/\.pid$/, "");
  return { pid, startTime, name: name2 };
}
function parsePidFile(raw, path) {
  const text = raw.trim();
  return /^\d+$/.test(text) ? adoptLegacy(Number(text), path) : parseJsonRecord(text);
}
function daemonProcess(path) {
  const raw = readTextIfExists(path);
  if (raw === void 0) return void 0;
  const record = parsePidFile(raw, path);
  if (record !== void 0 && isSameProcessAlive(record)) return record;
  removeIfUnchanged(path, raw);
  return void 0;
}

// src/contract/endpoint.ts
var STATUS_PATH = "/status";

// src/lifecycle/status-client.ts
var MAX_REPLY_BYTES = 8 * 1024 * 1024;
async function getJson(state, token, path, timeoutMs = 3e3) {
  const { request } = await import("http");
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: "127.0.0.1", port: state.port, path, headers: { authorization: `Bearer ${token}` }, timeout: timeoutMs },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk) => {
          body += chunk;
          if (body.length > MAX_REPLY_BYTES) {
            outgoing.destroy(new Error(`the daemon's reply to ${path} is over ${MAX_REPLY_BYTES} bytes`));
          }
        });
        response.on("end", () => {
          if (response.statusCode !== 200) {
            reject(new Error(`the daemon answered ${path} with HTTP ${response.statusCode}: ${body.trim()}`));
            return;
          }
          try {
            resolve(JSON.parse(body));
          } catch (error) {
            reject(error);
          }
        });
      }
    );
    outgoing.on("error", reject);
    outgoing.on("timeout", () => outgoing.destroy(new Error(`no answer on ${path} within ${timeoutMs} ms`)));
    outgoing.end();
  });
}
async function fetchStatus(state, token, timeoutMs = 3e3) {
  return await getJson(state, token, STATUS_PATH, timeoutMs);
}

// src/lifecycle/status-report.ts
function countSessions(registrations, clients) {
  const registered = new Set(registrations.map((registration) => registration.clientPid));
  const unregistered = clients.filter((client) => client.connected && (client.clientPid === void 0 || !registered.has(client.clientPid)));
  return registrations.reduce((count, registration) => count + registration.sessionIds.length, 0) + unregistered.length;
}
function sessionRows(registrations, clients) {
  const connected = new Set(clients.filter((client) => client.connected).map((client) => client.clientPid));
  const sessions = clients.map(
    (client) => ({
      state: client.connected ? "live" : "idle",
      clientPid: client.clientPid ?? null,
      projectDir: client.projectDir ?? null,
      since: client.since,
      client: client.client,
      clientSessionIds: client.sessionId === void 0 ? [] : [client.sessionId],
      daemonSession: client.id,
      dropped: client.dropped,
      oversized: client.oversized
    })
  );
  const lingering = registrations.filter((registration) => !connected.has(registration.clientPid)).map(
    (registration) => ({
      state: "lingering",
      clientPid: registration.clientPid,
      projectDir: registration.projectDir ?? null,
      since: registration.since,
      client: null,
      clientSessionIds: registration.sessionIds,
      daemonSession: null,
      dropped: 0,
      oversized: 0
    })
  );
  return [...sessions, ...lingering];
}
function statusRedactor(token) {
  const redactor = new Redactor();
  redactor.add(token === void 0 ? [] : [token]);
  return redactor;
}
function withMemory(servers, redactor) {
  const memory = groupMemory(servers.flatMap((server) => server.pid === null ? [] : [server.pid]));
  return servers.map((server) => ({
    ...server,
    lastError: server.lastError === null ? null : redactor.text(server.lastError),
    memory: server.pid === null ? null : memory.get(server.pid) ?? null
  }));
}
async function collectStatus(name2, paths) {
  const record = daemonProcess(paths.pidFile);
  const state = readState(paths.stateFile);
  const token = readToken(paths.tokenFile);
  const current = record && state?.pid === record.pid ? state : void 0;
  const live = current && token ? await fetchStatus(current, token).catch(() => void 0) : void 0;
  const registrations = liveRegistrations(paths.registrationsDir);
  const redactor = statusRedactor(token);
  return {
    running: live !== void 0,
    name: name2,
    pid: record?.pid ?? null,
    port: current?.port ?? null,
    url: current?.url ?? null,
    tokenFile: paths.tokenFile,
    sessions: live ? countSessions(registrations, live.sessions) : 0,
    servers: live ? withMemory(live.servers, redactor) : [],
    version: current?.version ?? null,
    startedAt: current?.startedAt ?? null,
    configFile: current?.configFile ?? null,
    logFile: paths.logFile,
    registrations,
    clients: live?.sessions ?? [],
    collisions: live ? redactor.value(live.collisions) : [],
    routing: live?.routing ?? null,
    rss: live?.memory.rss ?? null,
    uptime: live && current ? Math.max(0, Math.round((Date.now() - Date.parse(current.startedAt)) / 1e3)) : null,
    memory: live && record ? processMemory(record.pid) : null,
    sessionList: sessionRows(registrations, live?.sessions ?? []),
    duplicates: duplicatesOf(registrations, live?.sessions ?? [], current?.configFile ?? paths.configFile),
    configError: live?.configError ? redactor.text(live.configError) : null
  };
}
function duplicatesOf(registrations, clients, configFile) {
  const projects = new Set(
    [...registrations.map((registration) => registration.projectDir), ...clients.map((client) => client.projectDir)].filter(
      (dir) => dir !== void 0
    )
  );
  return [...projects].flatMap((dir) => projectDuplicates(dir, configFile));
}

// src/lifecycle/ensure-daemon.ts
import { mkdirSync as mkdirSync3, openSync as openSync4, closeSync as closeSync4 } from "fs";
import { setTimeout as sleep2 } from "timers/promises";

// src/lifecycle/find-daemon.ts
async function answeringDaemon(paths) {
  const state = readState(paths.stateFile);
  const token = readToken(paths.tokenFile);
  if (!state || !token || !isSameProcessAlive(state)) {
    return void 0;
  }
  return await answers(state, token) ? { ...state, token } : void 0;
}
async function answers(state, token) {
  return fetchStatus(state, token, 1e3).then(
    () => true,
    () => false
  );
}

// src/lifecycle/lock.ts
import { setTimeout as sleep } from "timers/promises";
function holderText() {
  const holder = { ...currentIdentity(), token: uniqueSuffix() };
  return JSON.stringify(holder);
}
function parseHolder(raw) {
  return asIdentity(recordIn(raw));
}
function isStale(raw) {
  const holder = parseHolder(raw);
  return holder === void 0 || !isSameProcessAlive(holder);
}
function breakStaleLock(lockFile, staleRaw) {
  const breaker = `${lockFile}.break`;
  const mine = holderText();
  if (!createExclusive(breaker, mine)) {
    const other = readTextIfExists(breaker);
    if (other !== void 0 && isStale(other) && readTextIfExists(breaker) === other) unlinkIfExists(breaker);
    return false;
  }
  try {
    if (readTextIfExists(lockFile) === staleRaw) unlinkIfExists(lockFile);
    return true;
  } finally {
    if (readTextIfExists(breaker) === mine) unlinkIfExists(breaker);
  }
}
async function acquire(lockFile, timeoutMs, pollMs) {
  const mine = holderText();
  const deadline = Date.now() + timeoutMs;
  for (; ; ) {
    if (createExclusive(lockFile, mine)) return mine;
    const raw = readTextIfExists(lockFile);
    if (raw === void 0) continue;
    if (isStale(raw) && breakStaleLock(lockFile, raw)) continue;
    if (Date.now() >= deadline) {
      const holder = parseHolder(raw)?.pid ?? "unknown";
      throw new Error(`Timed out after ${timeoutMs} ms waiting for lock ${lockFile} held by pid ${holder}`);
    }
    await sleep(pollMs);
  }
}
function release(lockFile, mine) {
  if (readTextIfExists(lockFile) === mine) unlinkIfExists(lockFile);
}
async function withLock(lockFile, fn, options = {}) {
  const { timeoutMs = 1e4, pollMs = 15 } = options;
  const mine = await acquire(lockFile, timeoutMs, pollMs);
  try {
    return await fn();
  } finally {
    release(lockFile, mine);
  }
}

// src/lifecycle/log-file.ts
import { closeSync as closeSync3, copyFileSync, openSync as openSync3, readSync, readdirSync as readdirSync3, statSync as statSync5, truncateSync } from "fs";
import { join as join6 } from "path";
var LOG_LIMIT_BYTES = 5 * 1024 * 1024;
function sizeOf(file) {
  try {
    return statSync5(file).size;
  } catch {
    return 0;
  }
}
function rotateLog(file, limit = LOG_LIMIT_BYTES) {
  if (sizeOf(file) <= limit) {
    return false;
  }
  copyFileSync(file, `${file}.1`);
  truncateSync(file, 0);
  return true;
}
function rotateLogs(logFile, serverLogDir, limit = LOG_LIMIT_BYTES) {
  let serverLogs = [];
  try {
    serverLogs = readdirSync3(serverLogDir).filter((name2) => name2.endsWith(".log")).map((name2) => join6(serverLogDir, name2));
  } catch {
  }
  for (const file of [logFile, ...serverLogs]) {
    try {
      rotateLog(file, limit);
    } catch {
    }
  }
}
function tailOf(file, lines) {
  const size = sizeOf(file);
  if (size === 0) {
    return "";
  }
  const length = Math.min(size, 16 * 1024);
  const buffer = Buffer.alloc(length);
  const fd = openSync3(file, "r");
  try {
    readSync(fd, buffer, 0, length, size - length);
  } finally {
    closeSync3(fd);
  }
  return buffer.toString("utf8").trimEnd().split("\n").slice(-lines).join("\n");
}

// src/lifecycle/ensure-daemon.ts
async function ensureDaemon(name2, options = {}) {
  const env = options.env ?? process.env;
  const timeoutMs = options.timeoutMs ?? 15e3;
  const paths = resolvePaths(name2, env);
  const running = await answeringDaemon(paths);
  if (running) {
    return { ...running, started: false };
  }
  mkdirSync3(paths.runDir, { recursive: true, mode: 448 });
  return withLock(
    paths.lockFile,
    async () => {
      const winner = await answerOrExit(name2, paths, timeoutMs);
      if (winner) {
        return { ...winner, started: false };
      }
      return { ...await spawnDaemon(name2, paths, env, timeoutMs), started: true };
    },
    { timeoutMs: timeoutMs + 5e3 }
  );
}
async function answerOrExit(name2, paths, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (; ; ) {
    const state = readState(paths.stateFile);
    if (!state || !isSameProcessAlive(state)) {
      return void 0;
    }
    const token = readToken(paths.tokenFile);
    if (token && await answers(state, token)) {
      return { ...state, token };
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `The mcp-tooling daemon "${name2}" (pid ${state.pid}) is running but has not answered for ${Math.round(timeoutMs / 1e3)} s; see ${paths.logFile}, or replace it with \`${cliCommand("daemon restart")}\`.`
      );
    }
    await sleep2(50);
  }
}
async function spawnDaemon(name2, paths, env, timeoutMs) {
  mkdirSync3(paths.dataDir, { recursive: true, mode: 448 });
  rotateLogs(paths.logFile, paths.serverLogDir);
  const log = openSync4(paths.logFile, "a", 384);
  const { spawn } = await import("child_process");
  const child = spawn(process.execPath, [cliPath(), "daemon", "run", name2, "--detached"], {
    detached: true,
    stdio: ["ignore", log, log],
    env: withoutSessionVariables(env),
    cwd: paths.dataDir
  });
  closeSync4(log);
  child.unref();
  let exited;
  child.once("exit", (code, signal) => {
    exited = signal ? `signal ${signal}` : `exit code ${code}`;
  });
  child.once("error", (error) => {
    exited = error.message;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const state = readState(paths.stateFile);
    if (state?.pid === child.pid) {
      const running = await answeringDaemon(paths);
      if (running) {
        return running;
      }
    }
    if (exited) {
      throw new Error(
        `The mcp-tooling daemon "${name2}" exited at start (${exited}):
${tailOf(paths.logFile, 20)}
Full log: ${paths.logFile}`
      );
    }
    await sleep2(15);
  }
  throw new Error(`The mcp-tooling daemon "${name2}" did not answer within ${timeoutMs} ms; see ${paths.logFile}.`);
}
var SESSION_VARIABLES = ["CLAUDE_PROJECT_DIR", "CLAUDE_CODE_SESSION_ID", "CLAUDE_PID", "CLAUDE_ENV_FILE"];
function withoutSessionVariables(env) {
  return Object.fromEntries(Object.entries(env).filter(([name2]) => !SESSION_VARIABLES.includes(name2)));
}

// src/hooks/session-start.ts
async function sessionStart(name2) {
  speakTo("claude");
  if (refuseUnsupported(process.stdout)) {
    return 0;
  }
  const input = await readHookInput();
  const paths = resolvePaths(name2);
  try {
    const projectDir = process.env.CLAUDE_PROJECT_DIR ?? input.cwd;
    const session = { clientPid: clientPid(), sessionId: sessionIdOf(input) };
    register(paths.registrationsDir, { ...session, ...projectDir && { projectDir } });
    forgetOtherSessions(paths.registrationsDir, session);
    const daemon = await ensureDaemon(name2);
    const status = await collectStatus(name2, paths);
    const servers = status.servers.map(
      (server) => `${server.name} (${server.state}${server.state === "ready" ? `, ${server.tools} tools` : ""})`
    );
    const trouble = status.servers.filter((server) => server.lastError).map((server) => `  - ${server.name}: ${server.lastError}`);
    const duplicates = projectDir ? projectDuplicates(projectDir, paths.configFile) : [];
    const lines = [
      `mcp-tooling: shared MCP proxy daemon "${name2}" ${daemon.started ? "started" : "running"} (pid ${daemon.pid}); its tools appear as mcp__plugin_mcp-tooling_mcp__<server>__<tool>.`,
      `Servers: ${servers.length > 0 ? servers.join(", ") : `none configured (add some to ${paths.configFile} or run \`${cliCommand("servers import")}\`)`}.`,
      ...trouble.length > 0 ? ["Problems:", ...trouble, `Run \`${cliCommand("doctor")}\` or \`${cliCommand("daemon status")}\` for details.`] : [],
      ...duplicates.map(
        (duplicate) => `Duplicate: ${duplicate.file} declares "${duplicate.name}", which the shared daemon already serves as "${duplicate.sharedAs}", so Claude Code runs a second copy. Use the shared one's tools (mcp__plugin_mcp-tooling_mcp__${duplicate.sharedAs}__\u2026); to remove the copy: ${duplicate.fix}`
      )
    ];
    process.stdout.write(`${lines.join("\n")}
`);
  } catch (error) {
    process.stdout.write(
      `mcp-tooling: the shared MCP daemon is not available: ${error.message}
See \`${cliCommand("daemon logs")}\` (${paths.logFile}).
`
    );
  }
  return 0;
}

// src/entries/hook.ts
var [event, name = DEFAULT_DAEMON_NAME] = process.argv.slice(2);
var hooks = {
  "session-start": sessionStart,
  "session-end": sessionEnd
};
var hook = event ? hooks[event] : void 0;
if (!hook) {
  process.stderr.write(`usage: node hook.js session-start|session-end [NAME]
`);
  process.exit(2);
}
process.exit(await hook(name));
