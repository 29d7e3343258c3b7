/**
 * Requests of every kind a client can send a preview's gateway (valid, mutated, hostile) and an
 * oracle that says, from the gateway contract alone, how each one must be answered. Shared by the
 * gateway's own property test and the one against a real local preview.
 */
import { isUtf8 } from 'node:buffer';
import { Readable } from 'node:stream';
import Ajv from 'ajv';
import Ajv2019 from 'ajv/dist/2019';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { request, type Dispatcher } from 'undici';
import { expect } from 'vitest';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface HostileRequest {
  method: string;
  /** The path as sent, query string included. */
  path: string;
  headers: Record<string, string>;
  /** Empty: no body is sent. */
  body: Buffer;
  /** Sent chunked, without Content-Length: the gateway must count while reading. */
  chunked: boolean;
}

export interface HostileRequestOptions {
  /** The preview's bearer token: most requests carry it, many a near miss. */
  token: string;
  /** The gateway's body limit: some bodies straddle it, byte for byte. */
  maxBodyBytes: number;
  /** Bodies valid against input.schema.json, which the mutations start from. */
  validRequest: fc.Arbitrary<Json>;
}

/** What the contract says the answer must be. */
export type Expectation =
  | { status: 401 | 404 | 405 | 413 | 415 | 400; why: string }
  | { status: 200; route: '/ping' | '/schema' }
  | { status: 200; route: '/invocations'; input: Json };

export interface Answer {
  status: number;
  contentType: string | undefined;
  text: string;
}

const printable = (max: number) => fc.stringMatching(new RegExp(`^[\\x20-\\x7e]{0,${max}}$`));
const jsonValue = fc.jsonValue({ stringUnit: 'binary' }) as fc.Arbitrary<Json>;

/** Every kind of request: a good share valid, so that the model is reached often too. */
export function hostileRequests(options: HostileRequestOptions): fc.Arbitrary<HostileRequest> {
  const { token } = options;
  const authorization = fc.oneof(
    { weight: 14, arbitrary: fc.constantFrom(`Bearer ${token}`, `bearer ${token}`, `BEARER   ${token}`, `  Bearer ${token}  `) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(undefined, '', 'Bearer', `Basic ${token}`, `Bearer ${token}x`, `Bearer ${token.slice(1)}`, `Bearer ${token.toUpperCase()}`, `Bearer ${token} ${token}`, `Bearer\t${token}`, `Bearer"${token}"`),
    },
    { weight: 1, arbitrary: printable(80) },
    { weight: 1, arbitrary: printable(80).map((t) => `Bearer ${t}`) },
  );
  const contentType = fc.oneof(
    { weight: 10, arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/json;charset="UTF-8"', ' application/json ; charset=UTF-8') },
    {
      weight: 2,
      arbitrary: fc.constantFrom(undefined, '', 'text/plain', 'application/xml', 'application/json; charset=latin1', 'application/json; charset=utf-16', 'application/jsonx', 'application/problem+json', 'multipart/form-data; boundary=x'),
    },
    { weight: 1, arbitrary: printable(60) },
  );
  const target = fc.oneof(
    { weight: 6, arbitrary: fc.constant({ method: 'POST', path: '/invocations' }) },
    { weight: 1, arbitrary: fc.constantFrom('/invocations/', '/invocations?verbose=1', '/invocations//?', '//invocations', '/Invocations', '/invocations.json').map((path) => ({ method: 'POST', path })) },
    { weight: 1, arbitrary: fc.constantFrom({ method: 'GET', path: '/ping' }, { method: 'GET', path: '/schema' }, { method: 'GET', path: '/invocations' }, { method: 'PUT', path: '/schema' }, { method: 'POST', path: '/ping' }) },
    { weight: 1, arbitrary: fc.record({ method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'), path: printable(40).map((p) => `/${encodeURIComponent(p)}`) }) },
  );
  return fc.record({ target, authorization, contentType, body: bodies(options), chunked: fc.boolean() }).map(({ target, authorization, contentType, body, chunked }) => {
    const headers: Record<string, string> = {};
    if (authorization !== undefined) headers.authorization = authorization;
    if (contentType !== undefined) headers['content-type'] = contentType;
    // Node's client sends no body with GET; the gateway never reads one there either.
    const sent = target.method === 'GET' ? Buffer.alloc(0) : body;
    return withSummary({ method: target.method, path: target.path, headers, body: sent, chunked: chunked && sent.length > 0 }, token);
  });
}

/** Bodies: valid ones, respelled, mutated, truncated, not UTF-8, not JSON, deeply nested, around the size limit. */
function bodies({ validRequest, maxBodyBytes }: HostileRequestOptions): fc.Arbitrary<Buffer> {
  const text = (s: string) => Buffer.from(s, 'utf8');
  const mutated = fc.tuple(validRequest, mutation).map(([doc, m]) => mutate(doc, m));
  const nearLimit = fc.integer({ min: -64, max: 64 }).map((d) => maxBodyBytes + d);
  return fc.oneof(
    { weight: 8, arbitrary: validRequest.map((doc) => text(JSON.stringify(doc))) },
    // The same documents as a client might spell them: other whitespace, number forms, escaped strings.
    { weight: 2, arbitrary: fc.tuple(validRequest, spelling).map(([doc, s]) => text(spell(doc, s))) },
    { weight: 6, arbitrary: mutated.map((doc) => text(JSON.stringify(doc))) },
    { weight: 1, arbitrary: mutated.chain((doc) => fc.nat({ max: JSON.stringify(doc).length }).map((n) => text(JSON.stringify(doc).slice(0, n)))) },
    // A repeated key: JSON.parse keeps the last; the model's parser must agree.
    { weight: 1, arbitrary: fc.tuple(validRequest, jsonValue).map(([doc, value]) => text(withRepeatedKey(doc, value))) },
    // RFC 8259 lets parsers ignore a leading byte order mark; the gateway does.
    { weight: 1, arbitrary: validRequest.map((doc) => text(`\ufeff${JSON.stringify(doc)}`)) },
    { weight: 1, arbitrary: fc.tuple(validRequest, fc.nat(), fc.constantFrom(...INVALID_UTF8)).map(([doc, at, bad]) => spliceBytes(text(JSON.stringify(doc)), at, bad)) },
    { weight: 1, arbitrary: jsonValue.map((v) => text(JSON.stringify(v))) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 2_048 }).map((bytes) => Buffer.from(bytes)) },
    { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 50_000 }), fc.boolean()).map(([depth, inField]) => text(deeplyNested(depth, inField))) },
    // Valid documents padded to a few bytes either side of the limit: exactly the limit is still served.
    { weight: 1, arbitrary: fc.tuple(validRequest, nearLimit).map(([doc, size]) => text(padded(JSON.stringify(doc), size))) },
    { weight: 1, arbitrary: fc.oneof(nearLimit, fc.integer({ min: maxBodyBytes, max: 2 * maxBodyBytes })).map((n) => text(`"${'x'.repeat(Math.max(0, n - 2))}"`)) },
    { weight: 1, arbitrary: fc.constantFrom('', ' ', '\r\n', 'null', '{}', '[]').map(text) },
  );
}

interface Mutation {
  kind: 'drop' | 'replace' | 'extra key' | 'nudge' | 'empty' | 'wrap' | 'stringify' | 'grow' | 'none';
  pick: number;
  value: Json;
  key: string;
  number: number;
  copies: number;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('drop', 'replace', 'extra key', 'nudge', 'empty', 'wrap', 'stringify', 'grow', 'none'),
  pick: fc.nat(),
  value: jsonValue,
  key: fc.string({ maxLength: 12, unit: 'binary' }),
  // Small shifts push values just past a bound; the rest are IEEE edge cases.
  number: fc.oneof(fc.double({ min: -10, max: 10, noNaN: true }), fc.double({ noNaN: true, noDefaultInfinity: true })),
  copies: fc.constantFrom(1, 1_000),
});

type Key = string | number;

function nodePaths(node: Json, path: Key[], out: Key[][]): Key[][] {
  out.push(path);
  if (Array.isArray(node)) node.forEach((child, i) => nodePaths(child, [...path, i], out));
  else if (isObject(node)) for (const [key, child] of Object.entries(node)) nodePaths(child, [...path, key], out);
  return out;
}

const isObject = (node: Json): node is { [key: string]: Json } => node !== null && typeof node === 'object' && !Array.isArray(node);

/** A document broken (or not) in one of the ways clients break them, at one of its nodes. */
function mutate(doc: Json, m: Mutation): Json {
  // The document sits under `root` so that every node, the root included, has a parent to edit.
  const box: { [key: string]: Json } = { root: structuredClone(doc) };
  const paths = nodePaths(box.root, ['root'], []);
  const path = paths[m.pick % paths.length];
  const parent = path.slice(0, -1).reduce<Json>((node, key) => (node as Record<Key, Json>)[key], box) as Record<Key, Json> & Json[];
  const at = path[path.length - 1];
  const node = parent[at];
  switch (m.kind) {
    case 'drop':
      if (parent === box) return m.value;
      if (Array.isArray(parent)) parent.splice(at as number, 1);
      else delete parent[at];
      break;
    case 'replace':
      parent[at] = m.value;
      break;
    case 'extra key': {
      const owner = isObject(node) ? node : parent !== box && isObject(parent) ? parent : undefined;
      if (owner) owner[m.key || 'extra'] = m.value;
      else parent[at] = { [m.key || 'extra']: m.value };
      break;
    }
    case 'nudge':
      parent[at] = typeof node === 'number' ? node + m.number : m.number;
      break;
    case 'empty':
      parent[at] = Array.isArray(node) ? [] : isObject(node) ? {} : '';
      break;
    case 'wrap':
      parent[at] = [node];
      break;
    case 'stringify':
      parent[at] = typeof node === 'string' ? node : JSON.stringify(node);
      break;
    case 'grow':
      // One copy too many (uniqueItems) or a thousand (maxItems).
      parent[at] = Array.isArray(node) && node.length ? [...node, ...Array.from({ length: m.copies }, () => node[0])] : [node, node];
      break;
    case 'none':
      break;
  }
  return box.root;
}

interface Spelling {
  /** Whitespace put between tokens, in turn. */
  spaces: string[];
  numbers: 'exponent' | 'EXPONENT' | 'trailing zeros' | 'plain';
  escapeStrings: boolean;
}

const spelling: fc.Arbitrary<Spelling> = fc.record({
  spaces: fc.array(fc.stringMatching(/^[ \t\n\r]{0,3}$/), { minLength: 1, maxLength: 8 }),
  numbers: fc.constantFrom('exponent', 'EXPONENT', 'trailing zeros', 'plain'),
  escapeStrings: fc.boolean(),
});

/** The document as JSON, spelled another way than JSON.stringify would; it parses to the same value. */
function spell(doc: Json, s: Spelling): string {
  let turn = 0;
  const ws = () => s.spaces[turn++ % s.spaces.length];
  // Every UTF-16 unit as a \uXXXX escape, lone surrogates included.
  const str = (v: string) => (s.escapeStrings ? `"${Array.from({ length: v.length }, (_, i) => `\\u${v.charCodeAt(i).toString(16).padStart(4, '0')}`).join('')}"` : JSON.stringify(v));
  const num = (n: number) => {
    const plain = JSON.stringify(n);
    if (s.numbers === 'exponent') return n.toExponential();
    if (s.numbers === 'EXPONENT') return n.toExponential().toUpperCase();
    if (s.numbers === 'trailing zeros' && !/e/i.test(plain)) return plain.includes('.') ? `${plain}000` : `${plain}.000`;
    return plain;
  };
  const write = (v: Json): string => {
    if (typeof v === 'number') return Number.isFinite(v) ? num(v) : 'null';
    if (typeof v === 'string') return str(v);
    if (Array.isArray(v)) return `[${ws()}${v.map((x) => `${write(x)}${ws()}`).join(`,${ws()}`)}]`;
    if (isObject(v)) return `{${ws()}${Object.entries(v).map(([k, x]) => `${str(k)}${ws()}:${ws()}${write(x)}${ws()}`).join(`,${ws()}`)}}`;
    return JSON.stringify(v);
  };
  return `${ws()}${write(doc)}${ws()}`;
}

/** The document with its first key repeated in front, bound to `value`; the original binding comes last. */
function withRepeatedKey(doc: Json, value: Json): string {
  const text = JSON.stringify(doc);
  if (!isObject(doc) || Object.keys(doc).length === 0) return text;
  return `{${JSON.stringify(Object.keys(doc)[0])}:${JSON.stringify(value)},${text.slice(1)}`;
}

// Lone continuation, overlong "/", UTF-16 surrogate, truncated sequence, past U+10FFFF, 0xFF.
const INVALID_UTF8 = [[0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf4, 0x90, 0x80, 0x80], [0xff]].map((b) => Buffer.from(b));

function spliceBytes(bytes: Buffer, at: number, inserted: Buffer): Buffer {
  const i = at % (bytes.length + 1);
  return Buffer.concat([bytes.subarray(0, i), inserted, bytes.subarray(i)]);
}

function deeplyNested(depth: number, inField: boolean): string {
  const nest = `${'['.repeat(depth)}${']'.repeat(depth)}`;
  return inField ? `{"instances":${nest}}` : nest;
}

/** `json` followed by spaces up to `size` bytes (or unpadded when already longer). */
const padded = (json: string, size: number) => json + ' '.repeat(Math.max(0, size - Buffer.byteLength(json)));

/** How fast-check prints a request: the token redacted, a body of megabytes summarised. */
function withSummary(req: HostileRequest, token: string): HostileRequest {
  return Object.defineProperty(req, fc.toStringMethod, {
    enumerable: false,
    value: () => {
      const headers = JSON.stringify(req.headers).split(token).join('<token>');
      const head = JSON.stringify(req.body.subarray(0, 160).toString('latin1'));
      return `${req.method} ${JSON.stringify(req.path)} headers=${headers} body=${req.body.length} bytes${req.chunked ? ' chunked' : ''} ${head}${req.body.length > 160 ? '…' : ''}`;
    },
  });
}

export interface OracleOptions {
  token: string;
  maxBodyBytes: number;
  inputSchema: object;
}

const ROUTES: Record<string, string> = { '/ping': 'GET', '/schema': 'GET', '/invocations': 'POST' };

/**
 * The gateway contract as an oracle, written apart from the handler: checks in the documented
 * order (401 token, 404 route, 405 method, 415 media type, 413 size, 400 UTF-8, JSON and schema).
 */
export function requestOracle(options: OracleOptions): (req: HostileRequest) => Expectation {
  const isValidInput = compileIndependently(options.inputSchema);
  return (req) => {
    // HTTP strips a field value's surrounding whitespace before anyone reads it.
    const header = (name: string) => req.headers[name]?.replace(/^[ \t]+|[ \t]+$/g, '');
    const credentials = /^bearer +(.*)$/i.exec(header('authorization') ?? '');
    if (credentials?.[1] !== options.token) return { status: 401, why: 'no valid bearer token' };

    const bare = req.path.split('?')[0];
    const route = bare.length > 1 ? bare.replace(/\/+$/, '') || '/' : bare;
    if (!Object.hasOwn(ROUTES, route)) return { status: 404, why: `no route ${route}` };
    if (ROUTES[route] !== req.method) return { status: 405, why: `${route} does not accept ${req.method}` };
    if (route !== '/invocations') return { status: 200, route: route as '/ping' | '/schema' };

    const [type, ...params] = (header('content-type') ?? '').split(';');
    const charset = params.map((p) => p.split('=').map((s) => s.trim())).find(([name]) => name.toLowerCase() === 'charset')?.[1];
    if (type.trim().toLowerCase() !== 'application/json' || (charset !== undefined && charset.replace(/^"(.*)"$/, '$1').toLowerCase() !== 'utf-8')) {
      return { status: 415, why: 'not application/json in UTF-8' };
    }
    if (req.body.length > options.maxBodyBytes) return { status: 413, why: `body of ${req.body.length} bytes over the limit` };
    if (!isUtf8(req.body)) return { status: 400, why: 'body not UTF-8' };
    const bom = req.body.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])) ? 3 : 0;
    let input: Json;
    try {
      input = JSON.parse(req.body.subarray(bom).toString('utf8')) as Json;
    } catch {
      return { status: 400, why: 'body not JSON' };
    }
    return isValidInput(input) ? { status: 200, route: '/invocations', input } : { status: 400, why: 'body against input.schema.json' };
  };
}

function compileIndependently(schema: object): (document: unknown) => boolean {
  const dialect = String((schema as { $schema?: unknown }).$schema ?? '');
  const options = { strict: false, logger: false as const };
  const ajv = dialect.includes('2020-12') ? new Ajv2020(options) : dialect.includes('2019-09') ? new Ajv2019(options) : new Ajv(options);
  addFormats(ajv);
  const validate = ajv.compile(schema);
  return (document) => {
    try {
      return validate(document);
    } catch (e) {
      // Too deep for the validator's recursion: the contract refuses it.
      if (e instanceof RangeError) return false;
      throw e;
    }
  };
}

function* chunks(bytes: Buffer) {
  for (let i = 0; i < bytes.length; i += 16_384) yield bytes.subarray(i, i + 16_384);
}

/** Sends a request as a client would and reads the whole answer. */
export async function sendRequest(baseUrl: string, req: HostileRequest, dispatcher?: Dispatcher): Promise<Answer> {
  const res = await request(`${baseUrl}${req.path}`, {
    method: req.method as Dispatcher.HttpMethod,
    headers: req.headers,
    dispatcher,
    body: req.body.length === 0 ? undefined : req.chunked ? Readable.from(chunks(req.body)) : req.body,
  });
  const contentType = res.headers['content-type'];
  return { status: res.statusCode, contentType: Array.isArray(contentType) ? contentType.join(',') : contentType, text: await res.body.text() };
}

export interface AnswerChecks {
  /** The preview's token, which no answer may echo. */
  token: string;
  inputSchema: object;
  /** Whether a model answer is valid against output.schema.json. */
  isValidOutput: (document: unknown) => boolean;
}

/** The contract's promises about one answer: never a 5xx, always JSON, the oracle's status, a valid model answer. */
export function expectDocumentedAnswer(answer: Answer, expected: Expectation, checks: AnswerChecks): unknown {
  const context = `expected ${expected.status}${'why' in expected ? ` (${expected.why})` : ''}, got ${answer.status}: ${answer.text.slice(0, 300)}`;
  expect(answer.status, context).toBeLessThan(500);
  expect(answer.contentType, context).toBe('application/json');
  let document: unknown;
  expect(() => (document = JSON.parse(answer.text)), context).not.toThrow();
  expect(answer.text, 'an answer echoes the token').not.toContain(checks.token);
  expect(answer.status, context).toBe(expected.status);
  if ('why' in expected) expect((document as { error?: unknown }).error, context).toEqual(expect.any(String));
  else if (expected.route === '/invocations') expect(checks.isValidOutput(document), `not valid against output.schema.json: ${answer.text.slice(0, 300)}`).toBe(true);
  else if (expected.route === '/ping') expect(document, context).toMatchObject({ status: 'ok' });
  else expect(document, context).toMatchObject({ input: checks.inputSchema });
  return document;
}
