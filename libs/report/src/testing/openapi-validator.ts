import { createRequire } from 'node:module';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * Checks requests and answers against GitHub's published REST description (api.github.com in
 * @octokit/openapi), so a wrong route, field name or missing parameter fails a test here instead
 * of a workflow in a real repository. The 13 MB description is read once per process and only the
 * schemas of the operations actually used are compiled, on first use.
 */
export interface OpenApiRequest {
  method: string;
  /** Path as sent, percent-encoded, without the query. */
  path: string;
  query: URLSearchParams;
  /** The parsed JSON body, or undefined when there was none. */
  body: unknown;
}

export interface MatchedOperation {
  operationId: string;
  /** The description's path template, e.g. /repos/{owner}/{repo}/deployments. */
  template: string;
  /** Path parameters, decoded. */
  params: Record<string, string>;
}

export type RequestCheck = { ok: true; operation: MatchedOperation } | { ok: false; status: 404 | 422; problems: string[]; operation?: MatchedOperation };

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}
type Schema = { type?: string; properties?: Record<string, unknown>; $ref?: string; [k: string]: unknown };
interface Operation {
  operationId: string;
  parameters?: ({ $ref: string } | Parameter)[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}
interface Description {
  paths: Record<string, Record<string, Operation | unknown>>;
  components: Record<string, Record<string, unknown>>;
}

const DESCRIPTION_KEY = 'api.github.com';
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head'];

interface Loaded {
  description: Description;
  ajv: Ajv;
  routes: { template: string; pattern: RegExp; names: string[] }[];
  compiled: Map<string, ValidateFunction>;
}
let loaded: Loaded | undefined;

function load(): Loaded {
  if (loaded) return loaded;
  const description = createRequire(__filename)('@octokit/openapi/generated/api.github.com.json') as Description;
  // OpenAPI 3.0 schemas carry keywords JSON Schema does not know (example, x-github, discriminator): not strict.
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, addUsedSchema: false });
  addFormats(ajv);
  ajv.addSchema(description as object, DESCRIPTION_KEY);
  const routes = Object.keys(description.paths).map((template) => {
    const names: string[] = [];
    const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_m, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    return { template, pattern: new RegExp(`^${source}$`), names };
  });
  // Literal routes first: /repos/{owner}/{repo}/issues/comments must not match .../issues/{issue_number}.
  routes.sort((a, b) => a.names.length - b.names.length);
  loaded = { description, ajv, routes, compiled: new Map() };
  return loaded;
}

const pointer = (...segments: string[]) => '#' + segments.map((s) => '/' + encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1'))).join('');

function at(root: unknown, ...segments: string[]): unknown {
  return segments.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], root);
}

/** Follows a local $ref ("#/components/...") to what it names. */
function deref<T>(description: Description, node: T | { $ref: string }): T {
  let current: unknown = node;
  for (let hops = 0; hops < 10 && current && typeof (current as { $ref?: unknown }).$ref === 'string'; hops++) {
    const ref = (current as { $ref: string }).$ref;
    current = at(description, ...ref.replace(/^#\//, '').split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')));
  }
  return current as T;
}

function validatorAt(l: Loaded, ...segments: string[]): ValidateFunction {
  const ref = pointer(...segments);
  let validate = l.compiled.get(ref);
  if (!validate) {
    validate = l.ajv.compile({ $ref: `${DESCRIPTION_KEY}${ref}` });
    l.compiled.set(ref, validate);
  }
  return validate;
}

const describeErrors = (validate: ValidateFunction, where: string) =>
  (validate.errors ?? []).map((e) => `${where}${e.instancePath || ''} ${e.message ?? 'is invalid'}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);

/** A query or path value as the schema's type: the wire has only strings. */
function coerce(value: string, schema: Schema | undefined): unknown {
  switch (schema?.type) {
    case 'integer':
    case 'number':
      return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
    case 'boolean':
      return value === 'true' ? true : value === 'false' ? false : value;
    default:
      return value;
  }
}

function findOperation(l: Loaded, method: string, path: string): { operation?: Operation; matched?: MatchedOperation; problem?: string } {
  for (const route of l.routes) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    const operation = l.description.paths[route.template][method.toLowerCase()] as Operation | undefined;
    if (!operation || !METHODS.includes(method.toLowerCase())) return { problem: `${method} is not an operation of ${route.template}` };
    const params = Object.fromEntries(route.names.map((name, i) => [name, decodeURIComponent(m[i + 1])]));
    return { operation, matched: { operationId: operation.operationId, template: route.template, params } };
  }
  return { problem: `${method} ${path} is not in GitHub's REST API description` };
}

/** Is this request one GitHub's description allows: known route, its parameters, its body? */
export function checkRequest(request: OpenApiRequest): RequestCheck {
  const l = load();
  const found = findOperation(l, request.method, request.path);
  if (!found.operation || !found.matched) return { ok: false, status: 404, problems: [found.problem!] };
  const { operation, matched } = found;
  const method = request.method.toLowerCase();
  const problems: string[] = [];
  const parameters = [...((at(l.description, 'paths', matched.template, 'parameters') as Operation['parameters']) ?? []), ...(operation.parameters ?? [])];
  const known = new Set<string>();
  parameters.forEach((raw) => {
    const parameter = deref<Parameter>(l.description, raw);
    if (parameter.in !== 'path' && parameter.in !== 'query') return;
    if (parameter.in === 'query') known.add(parameter.name);
    const value = parameter.in === 'path' ? matched.params[parameter.name] : (request.query.get(parameter.name) ?? undefined);
    if (value === undefined) {
      if (parameter.required) problems.push(`missing required ${parameter.in} parameter "${parameter.name}"`);
      return;
    }
    if (!parameter.schema) return;
    const segments = '$ref' in raw ? raw.$ref.replace(/^#\//, '').split('/') : ['paths', matched.template, method, 'parameters', String((operation.parameters ?? []).indexOf(raw))];
    const validate = validatorAt(l, ...segments, 'schema');
    if (!validate(coerce(value, deref<Schema>(l.description, parameter.schema)))) problems.push(...describeErrors(validate, `${parameter.in} parameter "${parameter.name}"`));
  });
  for (const name of request.query.keys()) if (!known.has(name)) problems.push(`unknown query parameter "${name}"`);

  const content = operation.requestBody?.content?.['application/json'];
  if (request.body === undefined) {
    if (operation.requestBody?.required) problems.push('missing the required JSON body');
  } else if (!content?.schema) {
    problems.push(`${request.method} ${matched.template} takes no JSON body`);
  } else {
    const validate = validatorAt(l, 'paths', matched.template, method, 'requestBody', 'content', 'application/json', 'schema');
    if (!validate(request.body)) problems.push(...describeErrors(validate, 'body'));
    // GitHub ignores fields it does not know; a misspelt field is still a bug, so it is one here.
    const schema = deref<Schema>(l.description, content.schema);
    if (schema.properties && request.body && typeof request.body === 'object' && !Array.isArray(request.body)) {
      for (const field of Object.keys(request.body)) if (!(field in schema.properties)) problems.push(`body field "${field}" is not in the description of ${operation.operationId}`);
    }
  }
  return problems.length === 0 ? { ok: true, operation: matched } : { ok: false, status: 422, problems, operation: matched };
}

/** Does an answer the fake gives match what the description promises for that status? */
export function checkResponse(operation: MatchedOperation, method: string, status: number, body: unknown): string[] {
  const l = load();
  const responses = (at(l.description, 'paths', operation.template, method.toLowerCase(), 'responses') ?? {}) as Operation['responses'];
  const response = deref<Operation['responses'][string]>(l.description, responses[String(status)]);
  if (!response) return status < 300 ? [`${status} is not a documented answer of ${operation.operationId}`] : [];
  if (!response.content?.['application/json']?.schema) return body === undefined ? [] : [`${operation.operationId} answers ${status} without a body`];
  const segments = '$ref' in (responses[String(status)] as object) ? (responses[String(status)] as unknown as { $ref: string }).$ref.replace(/^#\//, '').split('/') : ['paths', operation.template, method.toLowerCase(), 'responses', String(status)];
  const validate = validatorAt(l, ...segments, 'content', 'application/json', 'schema');
  return validate(body) ? [] : describeErrors(validate, `answer ${status} of ${operation.operationId}`);
}
