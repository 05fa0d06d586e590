/** An answer the API gave with a problem document, surfaced to the CLI user as one line. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly problem: {
      code?: string;
      detail?: string;
      title?: string;
      errors?: { pointer: string; message: string }[];
    },
  ) {
    const details = problem.errors?.map((e) => `${e.pointer} ${e.message}`).join('; ');
    super(
      `${status} ${problem.code ?? problem.title ?? 'error'}: ${problem.detail ?? ''}${details ? ` (${details})` : ''}`,
    );
    this.name = 'ApiRequestError';
  }
}

/** A thin JSON client of the Triggers HTTP API, authenticated with one bearer credential. */
export class TriggersClient {
  constructor(
    private readonly baseUrl: string,
    private readonly credential: string | undefined,
  ) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(new URL(path, this.baseUrl), {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.credential ? { authorization: `Bearer ${this.credential}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (!res.ok) throw new ApiRequestError(res.status, (parsed ?? {}) as ApiRequestError['problem']);
    return parsed as T;
  }
}
