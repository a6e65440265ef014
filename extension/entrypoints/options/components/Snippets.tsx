import { CopyButton } from '../../../components/CopyButton';
import { buildSnippets } from '../../../utils/format';

export interface SnippetsProps {
  origin: string;
  apiKey: string;
  authMode: string;
  allowLan: boolean;
}

/** Copy-ready client configuration for the current address and key. */
export function Snippets({ origin, apiKey, authMode, allowLan }: SnippetsProps) {
  const snippets = buildSnippets(origin, apiKey, { auth_mode: authMode, allow_lan_access: allowLan });
  return (
    <section id="snippets" class="card" aria-labelledby="snippets-title">
      <h2 id="snippets-title">Use it</h2>
      {snippets.map((snippet) => (
        <div class="snippet" key={snippet.id}>
          <div class="snippet-head">
            <h3>{snippet.title}</h3>
            <CopyButton id={`copy-snippet-${snippet.id}`} text={snippet.text} />
          </div>
          <pre id={`snippet-${snippet.id}`} data-testid="snippet">
            {snippet.text}
          </pre>
        </div>
      ))}
    </section>
  );
}
