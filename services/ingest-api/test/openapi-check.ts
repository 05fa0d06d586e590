import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { dereference } from '@readme/openapi-parser';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { openApiDocument } from '../src/openapi/openapi.js';

/** One request and the response the API gave, as a client saw it. */
export interface Exchange {
  method: string;
  path: string;
  status: number;
  contentType: string | undefined;
  body: string;
}

/**
 * Records every response the app sends (through `res.write`/`res.end`, whatever produced it), so
 * that each test file's traffic can be checked against the OpenAPI document.
 */
export function recordExchanges(app: RequestListener, exchanges: Exchange[]): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    // Read now: express rewrites req.url inside mounted routers.
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const chunks: Buffer[] = [];
    const collect = (chunk: unknown, encoding: unknown) => {
      if (typeof chunk === 'string')
        chunks.push(Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'));
      else if (chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
    };
    const write = res.write;
    const end = res.end;
    res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
      collect(chunk, rest[0]);
      return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof res.write;
    res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
      if (typeof chunk !== 'function') collect(chunk, rest[0]);
      return (end as (...args: unknown[]) => ServerResponse).call(this, chunk, ...rest);
    } as typeof res.end;
    res.once('finish', () => {
      const contentType = res.getHeader('content-type');
      exchanges.push({
        method: req.method ?? 'GET',
        path,
        status: res.statusCode,
        contentType: typeof contentType === 'string' ? contentType : undefined,
        body: Buffer.concat(chunks).toString('utf8'),
      });
    });
    app(req, res);
  };
}

type AddFormats = typeof addFormatsModule.default;
const addFormats: AddFormats =
  (addFormatsModule as unknown as { default?: AddFormats }).default ??
  (addFormatsModule as unknown as AddFormats);

interface MediaType {
  schema?: object;
}
interface ResponseObject {
  content?: Record<string, MediaType>;
}
interface Operation {
  responses: Record<string, ResponseObject>;
}
type Document = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, object> };
};

/**
 * Checks exchanges against the OpenAPI document, independently of the code that wrote it: the
 * document is taken as served (JSON), dereferenced by @readme/openapi-parser, and each response body
 * is validated by a JSON Schema 2020-12 validator of its own (OpenAPI 3.1's schema dialect).
 */
export class OpenApiChecker {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  private readonly validators = new Map<object, ValidateFunction>();
  private readonly templates: { template: string; pattern: RegExp; params: number }[];

  private constructor(private readonly document: Document) {
    addFormats(this.ajv);
    this.templates = Object.keys(document.paths)
      .map((template) => ({
        template,
        pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
        params: (template.match(/\{/g) ?? []).length,
      }))
      // A literal segment wins over a parameter (/api/deliveries/replay over /api/deliveries/{id}).
      .sort((a, b) => a.params - b.params);
  }

  static async load(): Promise<OpenApiChecker> {
    const served = JSON.parse(JSON.stringify(openApiDocument)) as Parameters<typeof dereference>[0];
    return new OpenApiChecker((await dereference(served)) as unknown as Document);
  }

  /** `METHOD template status` of an exchange, or undefined when no documented path matches. */
  operationOf(exchange: Exchange): string | undefined {
    // Express routes are not strict: `/api/endpoints/` is `/api/endpoints`.
    const path = exchange.path.length > 1 ? exchange.path.replace(/\/+$/, '') : exchange.path;
    const template = this.templates.find((t) => t.pattern.test(path))?.template;
    return template && `${exchange.method} ${template} ${exchange.status}`;
  }

  /** Every documented `METHOD template status`. */
  documentedResponses(): string[] {
    return Object.entries(this.document.paths).flatMap(([template, item]) =>
      Object.entries(item)
        .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
        .flatMap(([method, op]) =>
          Object.keys(op.responses).map((s) => `${method.toUpperCase()} ${template} ${s}`),
        ),
    );
  }

  /** Examples of the document that do not match their own schema (request bodies and responses). */
  exampleMismatches(): string[] {
    const problems: string[] = [];
    for (const [template, item] of Object.entries(this.document.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const request = (
          op as { requestBody?: { content?: Record<string, MediaType & { example?: unknown }> } }
        ).requestBody?.content;
        const media = [
          ...Object.entries(request ?? {}).map(([type, m]) => [`request ${type}`, m] as const),
          ...Object.entries(op.responses).flatMap(([status, r]) =>
            Object.entries(r.content ?? {}).map(([type, m]) => [`${status} ${type}`, m] as const),
          ),
        ];
        for (const [where, m] of media) {
          const example = (m as { example?: unknown }).example;
          if (example === undefined || !m.schema) continue;
          const validate = this.validatorFor(m.schema);
          if (!validate(example)) {
            problems.push(
              `${method.toUpperCase()} ${template} ${where}: ${this.ajv.errorsText(validate.errors)}`,
            );
          }
        }
      }
    }
    return problems;
  }

  private validatorFor(schema: object): ValidateFunction {
    let validate = this.validators.get(schema);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.validators.set(schema, validate);
    }
    return validate;
  }

  /** What is wrong with one exchange, or undefined when it conforms. */
  check(exchange: Exchange): string | undefined {
    const where = `${exchange.method} ${exchange.path} → ${exchange.status}`;
    // Express routes are not strict: `/api/endpoints/` is `/api/endpoints`.
    const path = exchange.path.length > 1 ? exchange.path.replace(/\/+$/, '') : exchange.path;
    const template = this.templates.find((t) => t.pattern.test(path))?.template;
    const operation = template && this.document.paths[template]?.[exchange.method.toLowerCase()];
    if (!operation) {
      // Undocumented paths and methods get the generic 404 problem, or 401 first where a credential
      // guards the whole prefix (/api, /admin).
      if (exchange.status !== 404 && exchange.status !== 401) return `${where}: no documented operation`;
      return this.checkBody(where, exchange, {
        'application/problem+json': { schema: this.document.components.schemas.Problem },
      });
    }
    const response = operation.responses[String(exchange.status)] ?? operation.responses.default;
    if (!response) return `${where}: status not documented for ${exchange.method} ${template}`;
    return this.checkBody(where, exchange, response.content);
  }

  private checkBody(where: string, exchange: Exchange, content: Record<string, MediaType> | undefined) {
    if (!content) return exchange.body === '' ? undefined : `${where}: a body where none is documented`;
    const mediaType = exchange.contentType?.split(';')[0]?.trim() ?? '';
    const documented = content[mediaType];
    if (!documented)
      return `${where}: content type ${mediaType || '(none)'} not documented (${Object.keys(content).join(', ')})`;
    if (!documented.schema) return undefined;
    let body: unknown;
    try {
      body = JSON.parse(exchange.body);
    } catch {
      return `${where}: body is not JSON`;
    }
    const validate = this.validatorFor(documented.schema);
    if (validate(body)) return undefined;
    return `${where}: ${this.ajv.errorsText(validate.errors)} in ${exchange.body.slice(0, 300)}`;
  }
}

let checker: Promise<OpenApiChecker> | undefined;

/** One checker per test file (the document is dereferenced once). */
export function openApiChecker(): Promise<OpenApiChecker> {
  checker ??= OpenApiChecker.load();
  return checker;
}

/** Every mismatch among `exchanges`. */
export async function openApiMismatches(exchanges: readonly Exchange[]): Promise<string[]> {
  const c = await openApiChecker();
  return exchanges.map((e) => c.check(e)).filter((m): m is string => m !== undefined);
}
