import { defaultTextBoxes } from '@memelab/core';
import { useEffect, useState } from 'preact/hooks';
import { createTemplate } from '../api/memelab-api.ts';
import { type ApiProblem, toProblem } from '../api/problem.ts';
import type { TemplateResource } from '../api/resources.ts';
import { useBoxList } from '../boxes/use-box-list.ts';
import { BoxFields } from './BoxFields.tsx';
import { BoxOverlay } from './BoxOverlay.tsx';
import { ImageDropZone } from './ImageDropZone.tsx';
import { useObjectUrl } from './use-object-url.ts';

const ADMIN_KEY_STORAGE = 'memelab.adminKey';

interface TemplateUploadProps {
  readonly onCreated: (template: TemplateResource) => void;
  readonly onProblem: (problem: ApiProblem) => void;
  readonly onClearProblem: () => void;
}

/** The key lives for the browser tab only: closing it forgets the key. */
const readStoredKey = (): string => {
  try {
    return sessionStorage.getItem(ADMIN_KEY_STORAGE) ?? '';
  } catch {
    return '';
  }
};

const storeKey = (key: string): void => {
  try {
    if (key === '') sessionStorage.removeItem(ADMIN_KEY_STORAGE);
    else sessionStorage.setItem(ADMIN_KEY_STORAGE, key);
  } catch {
    // Storage can be off (private modes); the key then lasts until the page reloads.
  }
};

const parseKeywords = (text: string): string[] =>
  text
    .split(',')
    .map((keyword) => keyword.trim().toLowerCase())
    .filter((keyword) => keyword !== '');

/** Administrators add templates to the gallery, placing the text boxes on the picture. */
export const TemplateUpload = ({ onCreated, onProblem, onClearProblem }: TemplateUploadProps) => {
  const [adminKey, setAdminKey] = useState(readStoredKey);
  const [name, setName] = useState('');
  const [keywords, setKeywords] = useState('');
  const [file, setFile] = useState<File | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const list = useBoxList(defaultTextBoxes(2), []);
  const imageUrl = useObjectUrl(file);

  useEffect(() => storeKey(adminKey), [adminKey]);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (file === undefined) return;
    setSaving(true);
    try {
      const template = await createTemplate(
        { name: name.trim(), keywords: parseKeywords(keywords), textBoxes: list.boxes },
        file,
        adminKey,
      );
      onClearProblem();
      onCreated(template);
    } catch (error) {
      onProblem(toProblem(error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <details class="panel admin" data-testid="template-upload">
      <summary>
        <h2>Add a template (administrators)</h2>
      </summary>
      <form class="admin__form" onSubmit={(event) => void submit(event)}>
        <label class="field">
          <span class="field__label">Admin key</span>
          <input
            type="password"
            autocomplete="off"
            value={adminKey}
            onInput={(event) => setAdminKey(event.currentTarget.value)}
            data-testid="admin-key"
          />
        </label>
        <label class="field">
          <span class="field__label">Name</span>
          <input
            type="text"
            required
            maxLength={100}
            value={name}
            onInput={(event) => setName(event.currentTarget.value)}
            data-testid="template-name"
          />
        </label>
        <label class="field">
          <span class="field__label">Keywords (comma separated)</span>
          <input
            type="text"
            value={keywords}
            onInput={(event) => setKeywords(event.currentTarget.value)}
            data-testid="template-keywords"
          />
        </label>
        <ImageDropZone
          label="Template image"
          hint={file === undefined ? 'Choose a file or drop it here.' : `Chosen: ${file.name}`}
          onFile={setFile}
          testId="template-file"
        />
        {imageUrl !== undefined && (
          <>
            <BoxOverlay boxes={list.boxes} onChange={list.setBox} testIdPrefix="template-">
              <img class="preview" src={imageUrl} alt="The new template with its text boxes" />
            </BoxOverlay>
            <BoxFields list={list} withCaptions={false} idPrefix="template-" />
          </>
        )}
        <button
          type="submit"
          class="button button--primary"
          disabled={saving || file === undefined}
          data-testid="create-template"
        >
          {saving ? 'Adding…' : 'Add template'}
        </button>
      </form>
    </details>
  );
};
