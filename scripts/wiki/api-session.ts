/** A minimal Action API client for Node-side seeding and tests: cookies, login, CSRF token, edits. */
export class MediaWikiApiSession {
  private cookies = new Map<string, string>();

  constructor(private readonly apiUrl: string) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (pair && eq > 0) this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }

  async call(params: Record<string, string>, method: 'GET' | 'POST' = 'GET'): Promise<Record<string, unknown>> {
    const body = new URLSearchParams({ format: 'json', formatversion: '2', ...params });
    const url = method === 'GET' ? `${this.apiUrl}?${body}` : this.apiUrl;
    const response = await fetch(url, {
      method,
      headers: { cookie: this.cookieHeader(), ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body: method === 'POST' ? body : undefined,
    });
    this.remember(response);
    if (!response.ok) throw new Error(`API ${params.action ?? ''} answered HTTP ${response.status}`);
    const json = (await response.json()) as Record<string, unknown>;
    if (json.error) throw new Error(`API ${params.action ?? ''} error: ${JSON.stringify(json.error)}`);
    return json;
  }

  async token(type: 'login' | 'csrf'): Promise<string> {
    const answer = (await this.call({ action: 'query', meta: 'tokens', type })) as { query?: { tokens?: Record<string, string> } };
    const token = answer.query?.tokens?.[`${type}token`];
    if (!token) throw new Error(`the wiki gave no ${type} token`);
    return token;
  }

  async login(user: string, password: string): Promise<void> {
    const lgtoken = await this.token('login');
    const answer = (await this.call({ action: 'login', lgname: user, lgpassword: password, lgtoken }, 'POST')) as { login?: { result?: string; reason?: string } };
    if (answer.login?.result !== 'Success') throw new Error(`login as ${user} failed: ${answer.login?.result} ${answer.login?.reason ?? ''}`);
  }

  async edit(title: string, fields: Record<string, string>): Promise<Record<string, unknown>> {
    const token = await this.token('csrf');
    return this.call({ action: 'edit', title, token, ...fields }, 'POST');
  }
}
