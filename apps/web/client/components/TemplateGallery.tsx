import { useEffect, useState } from 'preact/hooks';
import { fetchTemplates } from '../api/memelab-api.ts';
import { type ApiProblem, toProblem } from '../api/problem.ts';
import type { TemplateResource } from '../api/resources.ts';
import { useDebouncedValue } from './use-debounced-value.ts';

const SEARCH_DELAY_MS = 250;

interface TemplateGalleryProps {
  readonly selectedId: string | undefined;
  readonly onSelect: (template: TemplateResource) => void;
  readonly onProblem: (problem: ApiProblem) => void;
  /** Changes when the gallery's templates changed, so it loads them again. */
  readonly refreshKey: number;
}

export const TemplateGallery = ({ selectedId, onSelect, onProblem, refreshKey }: TemplateGalleryProps) => {
  const [query, setQuery] = useState('');
  const settledQuery = useDebouncedValue(query, SEARCH_DELAY_MS);
  const [templates, setTemplates] = useState<readonly TemplateResource[]>([]);
  const [total, setTotal] = useState<number | undefined>(undefined);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    void refreshKey; // read so a new template reloads the list even when the query is unchanged
    // A slow answer to an older query must not replace the newer one's.
    const controller = new AbortController();
    setLoading(true);
    fetchTemplates(settledQuery, controller.signal)
      .then((page) => {
        setTemplates(page.items);
        setTotal(page.total);
        setLoading(false);
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        setLoading(false);
        onProblem(toProblem(error));
      });
    return () => controller.abort();
  }, [settledQuery, onProblem, refreshKey]);

  return (
    <section class="panel gallery" aria-labelledby="gallery-heading">
      <div class="panel__header">
        <h2 id="gallery-heading">Templates</h2>
        <output class="muted" aria-live="polite" data-testid="template-count">
          {loading ? 'Searching…' : `${templates.length} of ${total ?? templates.length}`}
        </output>
      </div>
      <label class="field">
        <span class="field__label">Search templates</span>
        <input
          type="search"
          value={query}
          placeholder="cat, fire, deploy…"
          autocomplete="off"
          spellcheck={false}
          onInput={(event) => setQuery(event.currentTarget.value)}
          data-testid="template-search"
        />
      </label>
      {!loading && templates.length === 0 && <p class="muted">No template matches “{settledQuery}”.</p>}
      <ul class="gallery__grid">
        {templates.map((template) => (
          <li key={template.id}>
            <button
              type="button"
              class="gallery__item"
              aria-pressed={template.id === selectedId}
              onClick={() => onSelect(template)}
              data-template-id={template.id}
            >
              <img
                loading="lazy"
                src={template.links.image}
                alt=""
                width={template.width}
                height={template.height}
                decoding="async"
              />
              <span class="gallery__name">{template.name}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
};
