import { useState } from 'preact/hooks';
import { CopyButton } from '../../../components/CopyButton';
import { buildSnippets, maskSecret } from '../../../utils/format';

export interface SnippetsProps {
  origin: string;
  apiKey: string;
  authMode: string;
  allowLan: boolean;
}

/** Copy-ready client configuration for the live address and key; the key shows masked until revealed, Copy takes it whole. */
export function Snippets({ origin, apiKey, authMode, allowLan }: SnippetsProps) {
  const [revealed, setRevealed] = useState(false);
  const config = { auth_mode: authMode, allow_lan_access: allowLan };
  const copied = buildSnippets(origin, apiKey, config);
  const shown = revealed ? copied : buildSnippets(origin, maskSecret(apiKey), config);
  return (
    <section id="snippets" class="card" aria-labelledby="snippets-title">
      <div class="snippet-head">
        <h2 id="snippets-title">Use it</h2>
        <button id="reveal-snippet-key" type="button" class="secondary small" aria-pressed={revealed} onClick={() => setRevealed(!revealed)}>
          {revealed ? 'Hide the key' : 'Show the key'}
        </button>
      </div>
      {shown.map((snippet, index) => (
        <div class="snippet" key={snippet.id}>
          <div class="snippet-head">
            <h3>{snippet.title}</h3>
            <CopyButton id={`copy-snippet-${snippet.id}`} text={copied[index]!.text} />
          </div>
          <pre id={`snippet-${snippet.id}`} data-testid="snippet">
            {snippet.text}
          </pre>
        </div>
      ))}
    </section>
  );
}
