#!/usr/bin/env node
import {createRequire as __createRequire} from 'node:module';
const require = __createRequire(import.meta.url);

// src/config/paths.ts
import { homedir, tmpdir } from "os";
import { join } from "path";
var DEFAULT_DAEMON_NAME = "mcp-user";
function resolvePaths(name = DEFAULT_DAEMON_NAME, env = process.env) {
  const root = env.AITKIT_ROOT || join(homedir(), ".aitkit");
  const runDir = join(root, "run");
  const dataDir = env.MCPPROXY_DATA_DIR || join(root, "lib", "mcpproxy");
  return {
    root,
    runDir,
    registrationsDir: join(runDir, "mcp-servers", name),
    pidFile: join(runDir, `mcp-proxy-${name}.pid`),
    stateFile: join(runDir, `mcp-proxy-${name}.json`),
    tokenFile: join(runDir, `mcp-proxy-${name}.token`),
    lockFile: join(runDir, `mcp-proxy-${name}.lock`),
    socketFile: socketPath(runDir, name),
    dataDir,
    configFile: env.MCPPROXY_CONFIG_PATH || join(dataDir, "mcp_proxy_config.json"),
    logFile: join(dataDir, "mcp-proxy.log"),
    serverLogDir: join(dataDir, "servers")
  };
}
var MAX_SOCKET_PATH = 107;
function socketPath(runDir, name) {
  const beside = join(runDir, `mcp-proxy-${name}.sock`);
  if (Buffer.byteLength(beside) <= MAX_SOCKET_PATH) {
    return beside;
  }
  return join(tmpdir(), `mcp-tooling-${fnv1a(beside)}.sock`);
}
function fnv1a(text) {
  let hash = 2166136261;
  for (const byte of Buffer.from(text)) {
    hash = Math.imul(hash ^ byte, 16777619) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

// src/lifecycle/ensure-daemon.ts
import { existsSync, mkdirSync as mkdirSync2, openSync as openSync2, closeSync as closeSync2 } from "fs";
import { dirname as dirname2, join as join3 } from "path";
import { setTimeout as sleep2 } from "timers/promises";
import { fileURLToPath } from "url";

// src/daemon/endpoint-paths.ts
var STATUS_PATH = "/status";

// src/lifecycle/atomic-file.ts
import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "fs";
import { dirname } from "path";

// src/lifecycle/unique-suffix.ts
var counter = 0;
function uniqueSuffix() {
  return `${process.pid}.${process.hrtime.bigint().toString(36)}.${(counter++).toString(36)}`;
}

// src/lifecycle/atomic-file.ts
var FILE_MODE = 384;
var DIR_MODE = 448;
var TMP_SUFFIX = ".tmp";
function errorCode(error) {
  return error?.code;
}
function tmpPathFor(path) {
  return `${path}.${uniqueSuffix()}${TMP_SUFFIX}`;
}
function writeTmp(path, text) {
  mkdirSync(dirname(path), { recursive: true, mode: DIR_MODE });
  const tmp = tmpPathFor(path);
  writeFileSync(tmp, text, { mode: FILE_MODE, flag: "wx" });
  return tmp;
}
function readTextIfExists(path) {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    if (errorCode(error) === "ENOENT") return void 0;
    throw error;
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
function createExclusive(path, text) {
  const tmp = writeTmp(path, text);
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

// src/daemon/state.ts
function readState(file) {
  const text = readTextIfExists(file);
  if (!text) {
    return void 0;
  }
  try {
    return JSON.parse(text);
  } catch {
    return void 0;
  }
}
function readToken(file) {
  return readTextIfExists(file)?.trim() || void 0;
}

// src/lifecycle/lock.ts
import { setTimeout as sleep } from "timers/promises";

// src/lifecycle/process-identity.ts
import { readFileSync as readFileSync2 } from "fs";
function isValidPid(pid) {
  return Number.isSafeInteger(pid) && pid > 0;
}
function readStat(pid) {
  if (!isValidPid(pid)) return void 0;
  let text;
  try {
    text = readFileSync2(`/proc/${pid}/stat`, "utf8");
  } catch {
    return void 0;
  }
  const close = text.lastIndexOf(")");
  if (close < 0) return void 0;
  const fields = text.slice(close + 1).trim().split(" ");
  const state = fields[0];
  const startTime = fields[22 - 3];
  if (state === void 0 || startTime === void 0 || !/^\d+$/.test(startTime)) return void 0;
  return { state, startTime };
}
function hasExited(state) {
  return state === "Z" || state === "X";
}
function processStartTime(pid) {
  const stat = readStat(pid);
  return stat === void 0 || hasExited(stat.state) ? void 0 : stat.startTime;
}
var self;
function currentIdentity() {
  if (self === void 0) {
    const startTime = processStartTime(process.pid);
    if (startTime === void 0) throw new Error("Cannot read /proc/self/stat: mcp-tooling needs Linux /proc");
    self = { pid: process.pid, startTime };
  }
  return self;
}
function isSameProcessAlive(id) {
  return processStartTime(id.pid) === id.startTime;
}

// src/lifecycle/lock.ts
function holderText() {
  const holder = { ...currentIdentity(), token: uniqueSuffix() };
  return JSON.stringify(holder);
}
function parseHolder(raw) {
  try {
    const value = JSON.parse(raw);
    if (typeof value !== "object" || value === null) return void 0;
    const { pid, startTime } = value;
    return typeof pid === "number" && typeof startTime === "string" ? { pid, startTime } : void 0;
  } catch {
    return void 0;
  }
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
import { closeSync, copyFileSync, openSync, readSync, readdirSync, statSync, truncateSync } from "fs";
import { join as join2 } from "path";
var LOG_LIMIT_BYTES = 5 * 1024 * 1024;
function sizeOf(file) {
  try {
    return statSync(file).size;
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
    serverLogs = readdirSync(serverLogDir).filter((name) => name.endsWith(".log")).map((name) => join2(serverLogDir, name));
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
  const fd = openSync(file, "r");
  try {
    readSync(fd, buffer, 0, length, size - length);
  } finally {
    closeSync(fd);
  }
  return buffer.toString("utf8").trimEnd().split("\n").slice(-lines).join("\n");
}

// src/lifecycle/ensure-daemon.ts
function cliPath() {
  const here = dirname2(fileURLToPath(import.meta.url));
  const beside = join3(here, "cli.js");
  return existsSync(beside) ? beside : join3(here, "..", "..", "dist", "cli.js");
}
async function daemonAnswers(state, token, timeoutMs = 1e3) {
  const { request } = await import("http");
  return new Promise((resolve) => {
    const probe = request(
      { host: "127.0.0.1", port: state.port, path: STATUS_PATH, headers: { authorization: `Bearer ${token}`, host: `127.0.0.1:${state.port}` }, timeout: timeoutMs },
      (response) => {
        response.resume();
        resolve(response.statusCode === 200);
      }
    );
    probe.on("error", () => resolve(false));
    probe.on("timeout", () => {
      probe.destroy();
      resolve(false);
    });
    probe.end();
  });
}
function recordedDaemon(name, env = process.env) {
  const paths = resolvePaths(name, env);
  const state = readState(paths.stateFile);
  const token = readToken(paths.tokenFile);
  return state && token && isSameProcessAlive(state) ? { ...state, token } : void 0;
}
async function runningDaemon(paths) {
  const state = readState(paths.stateFile);
  const token = readToken(paths.tokenFile);
  if (!state || !token || !isSameProcessAlive(state)) {
    return void 0;
  }
  return await daemonAnswers(state, token) ? { ...state, token } : void 0;
}
async function ensureDaemon(name, options = {}) {
  const env = options.env ?? process.env;
  const timeoutMs = options.timeoutMs ?? 15e3;
  const paths = resolvePaths(name, env);
  const running = await runningDaemon(paths);
  if (running) {
    return { ...running, started: false };
  }
  mkdirSync2(paths.runDir, { recursive: true, mode: 448 });
  return withLock(
    paths.lockFile,
    async () => {
      const winner = await settledDaemon(name, paths, timeoutMs);
      if (winner) {
        return { ...winner, started: false };
      }
      return { ...await spawnDaemon(name, paths, env, timeoutMs), started: true };
    },
    { timeoutMs: timeoutMs + 5e3 }
  );
}
async function settledDaemon(name, paths, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (; ; ) {
    const state = readState(paths.stateFile);
    if (!state || !isSameProcessAlive(state)) {
      return void 0;
    }
    const token = readToken(paths.tokenFile);
    if (token && await daemonAnswers(state, token)) {
      return { ...state, token };
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `The mcp-tooling daemon "${name}" (pid ${state.pid}) is running but has not answered for ${Math.round(timeoutMs / 1e3)} s; see ${paths.logFile}, or replace it with \`mcp-tooling daemon restart\`.`
      );
    }
    await sleep2(50);
  }
}
async function spawnDaemon(name, paths, env, timeoutMs) {
  mkdirSync2(paths.dataDir, { recursive: true, mode: 448 });
  rotateLogs(paths.logFile, paths.serverLogDir);
  const log = openSync2(paths.logFile, "a", 384);
  const { spawn } = await import("child_process");
  const child = spawn(process.execPath, [cliPath(), "daemon", "run", name, "--detached"], {
    detached: true,
    stdio: ["ignore", log, log],
    env: withoutSessionVariables(env),
    cwd: paths.dataDir
  });
  closeSync2(log);
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
      const running = await runningDaemon(paths);
      if (running) {
        return running;
      }
    }
    if (exited) {
      throw new Error(`The mcp-tooling daemon "${name}" exited at start (${exited}):
${tailOf(paths.logFile, 20)}
Full log: ${paths.logFile}`);
    }
    await sleep2(15);
  }
  throw new Error(`The mcp-tooling daemon "${name}" did not answer within ${timeoutMs} ms; see ${paths.logFile}.`);
}
var SESSION_VARIABLES = ["CLAUDE_PROJECT_DIR", "CLAUDE_CODE_SESSION_ID", "CLAUDE_PID", "CLAUDE_ENV_FILE"];
function withoutSessionVariables(env) {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !SESSION_VARIABLES.includes(name)));
}

// src/shared/line-splitter.ts
var LineSplitter = class {
  constructor(onLine) {
    this.onLine = onLine;
  }
  onLine;
  parts = [];
  push(chunk) {
    let start = 0;
    let newline = chunk.indexOf("\n");
    while (newline !== -1) {
      const tail = chunk.slice(start, newline);
      const line = this.parts.length === 0 ? tail : [...this.parts, tail].join("");
      this.parts = [];
      this.onLine(line.endsWith("\r") ? line.slice(0, -1) : line);
      start = newline + 1;
      newline = chunk.indexOf("\n", start);
    }
    if (start < chunk.length) {
      this.parts.push(chunk.slice(start));
    }
  }
};
function jsonLines(onMessage, onGarbage) {
  return new LineSplitter((line) => {
    if (line.trim() === "") {
      return;
    }
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      onGarbage(line);
      return;
    }
    if (typeof message === "object" && message !== null) {
      onMessage(message);
    } else {
      onGarbage(line);
    }
  });
}

// src/bridge/daemon-link.ts
import { connect } from "net";
var IDLE_CHECK_MS = 20;
function pidExists(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}
var DaemonLink = class _DaemonLink {
  constructor(socket, endpoint) {
    this.socket = socket;
    this.endpoint = endpoint;
    this.closed = new Promise((resolve) => socket.once("close", () => resolve()));
  }
  socket;
  endpoint;
  lastUsed = performance.now();
  closing = false;
  /** Settles when the connection is gone, for whatever reason. */
  closed;
  /** Connects and greets; fails without having sent anything if the daemon does not listen. */
  static async open(endpoint, identity, onMessage, onClose) {
    const socket = connect(endpoint.socket);
    socket.setEncoding("utf8");
    await new Promise((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    const link = new _DaemonLink(socket, endpoint);
    const lines = jsonLines(onMessage, () => void 0);
    socket.on("data", (chunk) => lines.push(chunk));
    socket.on("error", () => socket.destroy());
    socket.on("close", () => {
      if (!link.closing) {
        onClose();
      }
    });
    const greeting = { token: endpoint.token, ...identity };
    socket.write(`${JSON.stringify(greeting)}
`);
    return link;
  }
  /**
   * Sends a message; false when the daemon is known to be gone, so it certainly never saw it. A
   * daemon killed a moment ago may not have had its close read yet: a connection idle for a
   * while is checked against the daemon's process first (reading /proc also tells a zombie),
   * back-to-back messages only by signal 0, which costs next to nothing.
   */
  send(message) {
    if (this.socket.destroyed || !this.socket.writable) {
      return false;
    }
    const { pid, startTime } = this.endpoint;
    if (pid !== void 0) {
      const idle = performance.now() - this.lastUsed > IDLE_CHECK_MS;
      const alive = idle && startTime !== void 0 ? isSameProcessAlive({ pid, startTime }) : pidExists(pid);
      if (!alive) {
        this.socket.destroy();
        return false;
      }
    }
    this.lastUsed = performance.now();
    this.socket.write(`${JSON.stringify(message)}
`);
    return true;
  }
  /** Ends the session: the daemon closes it when the connection ends. */
  close() {
    this.closing = true;
    this.socket.end();
  }
};

// src/bridge/bridge.ts
var SAFE_TO_RETRY = /* @__PURE__ */ new Set([
  "ping",
  "tools/list",
  "prompts/list",
  "prompts/get",
  "resources/list",
  "resources/templates/list",
  "resources/read",
  "resources/subscribe",
  "resources/unsubscribe",
  "completion/complete",
  "logging/setLevel"
]);
var OWN_ID_PREFIX = "mcp-tooling/";
function isRequest(message) {
  return "method" in message && "id" in message;
}
function isResponse(message) {
  return "id" in message && !("method" in message);
}
function errorReply(id, message, code = -32603) {
  return { jsonrpc: "2.0", id, error: { code, message } };
}
var Bridge = class {
  constructor(options) {
    this.options = options;
  }
  options;
  link;
  connecting;
  recovering;
  connectedBefore = false;
  initialize;
  clientInitialized = false;
  closed = false;
  /** Replayed on a new session, so the client's view survives a daemon restart. */
  logLevel;
  subscriptions = /* @__PURE__ */ new Map();
  pending = /* @__PURE__ */ new Map();
  /** Notifications and answers to the daemon that found no session; sent once there is one. */
  unsent = [];
  ownReplies = /* @__PURE__ */ new Map();
  ownIds = 0;
  async fromClient(message) {
    if (isRequest(message) && message.method === "initialize") {
      this.initialize = message;
      this.pending.set(message.id, { request: message, sent: false });
      await this.whenConnected().catch((error) => {
        this.pending.delete(message.id);
        this.options.write(errorReply(message.id, `mcp-tooling could not reach its daemon: ${error.message}`));
      });
      this.transmit(message);
      return;
    }
    if (!this.initialize) {
      if (isRequest(message)) {
        this.options.write(message.method === "ping" ? { jsonrpc: "2.0", id: message.id, result: {} } : errorReply(message.id, `Method not found: ${message.method}`, -32601));
      }
      return;
    }
    this.remember(message);
    if (isRequest(message)) {
      this.pending.set(message.id, { request: message, sent: false });
    }
    await this.whenConnected().catch(() => void 0);
    this.transmit(message);
  }
  close() {
    this.closed = true;
    this.link?.close();
  }
  /** What the client set up that a new session must hear again, and what it no longer waits for. */
  remember(message) {
    if (!("method" in message)) {
      return;
    }
    const params = message.params ?? {};
    switch (message.method) {
      case "notifications/initialized": {
        this.clientInitialized = true;
        break;
      }
      case "notifications/cancelled": {
        this.pending.delete(params.requestId);
        break;
      }
      case "logging/setLevel": {
        this.logLevel = message;
        break;
      }
      case "resources/subscribe": {
        this.subscriptions.set(String(params.uri), message);
        break;
      }
      case "resources/unsubscribe": {
        this.subscriptions.delete(String(params.uri));
        break;
      }
    }
  }
  /** Sends to the daemon, or, with no session to send to, gets one and sends then. */
  transmit(message) {
    const pending = "id" in message && isRequest(message) ? this.pending.get(message.id) : void 0;
    if (isRequest(message) && !pending) {
      return;
    }
    if (this.link?.send(message)) {
      if (pending) {
        pending.sent = true;
      }
      return;
    }
    if (!pending) {
      this.unsent.push(message);
    }
    void this.recover();
  }
  fromDaemon(message) {
    if (isResponse(message)) {
      const own = this.ownReplies.get(message.id);
      if (own) {
        this.ownReplies.delete(message.id);
        own();
        return;
      }
      this.pending.delete(message.id);
    }
    this.options.write(message);
  }
  /** Resolves once there is a session (the first one, or one replacing a lost one). */
  async whenConnected() {
    if (this.link) {
      return;
    }
    this.connecting ??= this.connect().finally(() => {
      this.connecting = void 0;
    });
    await this.connecting;
  }
  /**
   * The first connection carries the client's own initialize. Later ones replay it, and become
   * the bridge's link only once the daemon has answered the replay. A daemon can die under the
   * replay (its files still name it while it exits, and its socket may even accept): then the
   * next attempt asks for a daemon that answers, starting one if need be.
   */
  async connect() {
    let failure;
    for (const verified of [false, true, true]) {
      let endpoint;
      try {
        endpoint = await this.options.connect(verified);
      } catch (error) {
        if (verified) {
          throw error;
        }
        failure = error;
        continue;
      }
      let link;
      try {
        link = await DaemonLink.open(endpoint, this.options.identity, (message) => this.fromDaemon(message), () => this.linkClosed(link));
        if (this.connectedBefore) {
          await this.replay(link);
        }
      } catch (error) {
        link?.close();
        failure = error;
        continue;
      }
      this.link = link;
      this.connectedBefore = true;
      return;
    }
    throw failure;
  }
  /** A new session, as the client had set up the old one; the answers are the bridge's own. */
  async replay(link) {
    await this.ownRequest(link, this.initialize);
    if (this.clientInitialized) {
      link.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    }
    for (const request of [...this.logLevel ? [this.logLevel] : [], ...this.subscriptions.values()]) {
      this.ownRequest(link, request).catch(() => void 0);
    }
  }
  /** Sends a request of the bridge's own on `link`; fails if the link goes before the answer comes. */
  async ownRequest(link, request) {
    const id = `${OWN_ID_PREFIX}${++this.ownIds}`;
    const answered = new Promise((resolve) => this.ownReplies.set(id, resolve));
    try {
      if (!link.send({ ...request, id })) {
        throw new Error("the daemon it found is gone");
      }
      const lost = link.closed.then(() => {
        throw new Error(`the daemon closed the connection before answering "${request.method}"`);
      });
      await Promise.race([answered, lost]);
    } finally {
      this.ownReplies.delete(id);
    }
  }
  linkClosed(link) {
    if (this.link !== link || this.closed) {
      return;
    }
    this.link = void 0;
    if ([...this.pending.values()].some((entry) => entry.sent)) {
      void this.recover();
    }
  }
  /** One recovery at a time: whoever else needs one while it runs is served by it. */
  async recover() {
    this.recovering ??= this.recoverLost().finally(() => {
      this.recovering = void 0;
    });
    return this.recovering;
  }
  /**
   * After the daemon went away: a new session, then what was lost. Requests it never saw are
   * sent now, and so are those that change nothing; a tool call it may have run gets an error
   * that says so, since running it twice could do harm.
   */
  async recoverLost() {
    if (this.closed || !this.initialize) {
      return;
    }
    this.link = void 0;
    try {
      await this.whenConnected();
    } catch (error) {
      for (const [id] of this.pending) {
        this.options.write(errorReply(id, `mcp-tooling could not reach its daemon: ${error.message}`));
      }
      this.pending.clear();
      return;
    }
    for (const [id, entry] of this.pending) {
      if (entry.sent && !SAFE_TO_RETRY.has(entry.request.method)) {
        this.pending.delete(id);
        this.options.write(
          errorReply(
            id,
            `The mcp-tooling daemon stopped while "${entry.request.method}" was running, so its result was lost and it may or may not have taken effect. A new daemon is up now: check, then try again.`
          )
        );
      } else {
        entry.sent = false;
        this.transmit(entry.request);
      }
    }
    for (const message of this.unsent.splice(0)) {
      this.transmit(message);
    }
    for (const kind of ["tools", "prompts", "resources"]) {
      this.options.write({ jsonrpc: "2.0", method: `notifications/${kind}/list_changed` });
    }
  }
};

// src/bridge/run.ts
function write(message) {
  process.stdout.write(`${JSON.stringify(message)}
`);
}
async function runBridge(name = DEFAULT_DAEMON_NAME) {
  const clientPid = Number(process.env.CLAUDE_PID) || process.ppid;
  const bridge = new Bridge({
    connect: async (verified) => (verified ? void 0 : recordedDaemon(name)) ?? ensureDaemon(name),
    write,
    identity: { clientPid, sessionId: process.env.CLAUDE_CODE_SESSION_ID, projectDir: process.env.CLAUDE_PROJECT_DIR }
  });
  let finishing = false;
  const finish = async () => {
    if (finishing) {
      return;
    }
    finishing = true;
    await bridge.close();
    process.exit(0);
  };
  const lines = jsonLines(
    (message) => {
      bridge.fromClient(message).catch((error) => {
        process.stderr.write(`mcp-tooling bridge: ${error.message}
`);
      });
    },
    () => write({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error: a line on stdin was not JSON" } })
  );
  process.on("unhandledRejection", (error) => {
    process.stderr.write(`mcp-tooling bridge: ${error?.stack ?? String(error)}
`);
  });
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk) => lines.push(chunk));
  process.stdin.on("end", () => void finish());
  process.on("SIGINT", () => void finish());
  process.on("SIGTERM", () => void finish());
}

// src/bridge.ts
await runBridge(process.argv[2]);
