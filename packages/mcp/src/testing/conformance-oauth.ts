// OAuth for the conformance client (auth/* scenarios): what an app would give `createMcpClient` as
// `transport.authProvider` (+ `authorizationCode`), made headless. The suite's authorization server redirects
// at once to `redirect_uri?code=…`, so "sending the user to the authorization server" is one fetch that reads
// the code off the redirect instead of a browser and a callback server.
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { ClientCredentialsProvider, PrivateKeyJwtProvider } from '@modelcontextprotocol/sdk/client/auth-extensions.js';
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';

/** What the suite passes in MCP_CONFORMANCE_CONTEXT for scenarios with pre-shared credentials. */
export interface ConformanceContext {
  client_id?: string;
  client_secret?: string;
  private_key_pem?: string;
  signing_algorithm?: string;
}

/** A client of the authorization-code flow whose "user" approves at once. */
export class HeadlessOAuthProvider implements OAuthClientProvider {
  readonly redirectUrl = 'http://localhost:3000/callback';
  #client: OAuthClientInformationMixed | undefined;
  #tokens: OAuthTokens | undefined;
  #verifier: string | undefined;
  #code: string | undefined;
  readonly #options: { clientMetadataUrl?: string; preRegistered?: OAuthClientInformationMixed };
  /** Used where the authorization server advertises client ID metadata documents (auth/basic-cimd). */
  readonly clientMetadataUrl?: string;

  constructor(options: { clientMetadataUrl?: string; preRegistered?: OAuthClientInformationMixed } = {}) {
    this.#options = options;
    this.#client = options.preRegistered;
    if (options.clientMetadataUrl !== undefined) this.clientMetadataUrl = options.clientMetadataUrl;
  }

  get clientMetadata(): OAuthClientMetadata {
    return { client_name: 'agenticgen-conformance', redirect_uris: [this.redirectUrl] };
  }

  clientInformation() {
    return this.#client;
  }

  saveClientInformation(information: OAuthClientInformationMixed) {
    this.#client = information;
  }

  tokens() {
    return this.#tokens;
  }

  saveTokens(tokens: OAuthTokens) {
    this.#tokens = tokens;
  }

  async redirectToAuthorization(authorizationUrl: URL) {
    const response = await fetch(authorizationUrl, { redirect: 'manual' });
    const location = response.headers.get('location');
    const code = location === null ? null : new URL(location).searchParams.get('code');
    if (code === null) throw new Error(`the authorization server answered ${response.status} without a code`);
    this.#code = code;
  }

  saveCodeVerifier(verifier: string) {
    this.#verifier = verifier;
  }

  codeVerifier() {
    if (this.#verifier === undefined) throw new Error('no PKCE code verifier saved');
    return this.#verifier;
  }

  invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery') {
    if (scope === 'all' || scope === 'tokens') this.#tokens = undefined;
    if (scope === 'all' || scope === 'client') this.#client = this.#options.preRegistered;
    if (scope === 'all' || scope === 'verifier') this.#verifier = undefined;
  }

  /** The `authorizationCode` callback: the code the last redirect carried (each is used once). */
  readonly authorizationCode = async (): Promise<string> => {
    const code = this.#code;
    this.#code = undefined;
    if (code === undefined) throw new Error('no authorization code: the redirect did not happen');
    return code;
  };
}

/** The provider (and code callback) a scenario needs. */
export function conformanceAuth(
  scenario: string,
  context: ConformanceContext,
): { authProvider: OAuthClientProvider; authorizationCode?: () => Promise<string> } {
  const clientId = context.client_id ?? 'conformance-client';
  if (scenario === 'auth/client-credentials-basic') {
    return { authProvider: new ClientCredentialsProvider({ clientId, clientSecret: context.client_secret ?? '' }) };
  }
  if (scenario === 'auth/client-credentials-jwt') {
    return {
      authProvider: new PrivateKeyJwtProvider({
        clientId,
        privateKey: context.private_key_pem ?? '',
        algorithm: context.signing_algorithm ?? 'ES256',
      }),
    };
  }
  const provider = new HeadlessOAuthProvider(
    scenario === 'auth/pre-registration'
      ? { preRegistered: { client_id: clientId, client_secret: context.client_secret ?? '' } }
      : { clientMetadataUrl: 'https://conformance-test.local/client-metadata.json' },
  );
  return { authProvider: provider, authorizationCode: provider.authorizationCode };
}
