import { TriggersClient } from './client.js';

/** Where the CLI sends requests and with which credentials; built once by the entry point. */
export interface CliSettings {
  url: string;
  adminToken: string | undefined;
  apiKey: string | undefined;
}

/** What commands need: clients for each credential, and one way to print results. */
export class CliContext {
  constructor(
    private readonly settings: CliSettings,
    readonly print: (value: unknown) => void,
  ) {}

  admin(): TriggersClient {
    if (!this.settings.adminToken) {
      throw new Error('an admin token is needed: set ADMIN_TOKEN (make up keeps it in .data/admin-token)');
    }
    return new TriggersClient(this.settings.url, this.settings.adminToken);
  }

  organization(): TriggersClient {
    if (!this.settings.apiKey) throw new Error('an API key is needed: set TRIGGERS_API_KEY');
    return new TriggersClient(this.settings.url, this.settings.apiKey);
  }
}
