import { useState } from 'react';
import { useRuns } from '../../state/runs';
import { shareHash } from '../../state/url-state';
import { parseRunConfig } from '../../bnn/config';

/**
 * Copies a link that reproduces the next run: every setting and the seed in the hash (the
 * backend is left to the device that opens it), and says so; where the clipboard is not
 * available it shows the link to copy by hand.
 */
export function ShareButton() {
  const draft = useRuns((s) => s.draft);
  const [status, setStatus] = useState<{ text: string; link?: string } | null>(null);
  const share = async (): Promise<void> => {
    const parsed = parseRunConfig(draft);
    if (!parsed.ok) {
      setStatus({ text: `Fix the settings first: ${parsed.error}` });
      return;
    }
    const { origin, pathname } = globalThis.location;
    const link = `${origin}${pathname}#${shareHash(parsed.config)}`;
    try {
      await navigator.clipboard.writeText(link);
      setStatus({ text: `Link copied: it opens these settings with seed ${parsed.config.seed}.` });
    } catch {
      setStatus({ text: 'The clipboard is not available here; copy the link:', link });
    }
  };
  return (
    <div className="share">
      <button type="button" onClick={() => void share()} data-testid="share">
        Share
      </button>
      <span role="status" className="share-status" data-testid="share-status">
        {status?.text}
        {status?.link && <input readOnly value={status.link} aria-label="Link to these settings" onFocus={(e) => e.target.select()} />}
      </span>
    </div>
  );
}
